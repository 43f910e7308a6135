"""meshify's rules, one module each; a module's docstring is its rule's documentation.

Importing this package registers every rule with the engine (``meshify.injector.engine``).
"""

from meshify.rules import (  # noqa: F401
    i301_stream_permission,
    i302_stream_scope,
    i303_xray_permissions,
    m101_protocol_mixing,
    m102_route_weights,
    m103_dangling_backend,
    m104_placeholder_dns,
    m105_dangling_reference,
    m106_api_model,
    m107_target_without_listener,
    m108_family_claimed_twice,
    m109_unreachable_routes,
    m110_allow_all_egress,
    m111_listener_tls,
    m112_placeholder_address,
    m113_unreached_node,
    s001_unused_suppression,
    t201_envoy_container,
    t202_envoy_essential_health,
    t203_depends_on_envoy,
    t204_proxy_configuration,
    t205_app_ports,
    t206_envoy_user,
    t207_resource_arn,
    t208_network_mode,
    t209_envoy_image,
    t210_gateway_task,
    t211_register_input,
    t212_unclaimed_mesh_task,
    t213_envoy_settings,
)
