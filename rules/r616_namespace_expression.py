"""R616: a Cloud Map namespace only the stack knows, for a configuration written outside its template.

What: the namespace the plan uses comes from a template's intrinsic (AWS's howto-ecs-basics
walkthrough: ``NamespaceName: !Sub '${ProjectName}.pvtdns'``) and no ``--namespace`` names
it, while an ECS service's Service Connect configuration goes to a JSON file for ``aws ecs
update-service --cli-input-json`` (``--out-dir``), because the service is given as API JSON
or is not declared in that template.

Why: an intrinsic means something only in the stack of the template that writes it. Written
into a JSON file, ``{"Fn::Sub": "..."}`` is not a namespace: ECS refuses it, and leaving the
namespace out would put the service in the cluster's default namespace, silently. So
migrate writes the expression into that template's own ECS services, where it holds, and
does not write the JSON configurations that would need it (an error).

Fails (an error), with ``--out-dir``:
    a template whose virtual nodes write ``NamespaceName: !Sub '${ProjectName}.pvtdns'``,
    and an ECS service given as ``create-service`` JSON (or one the template does not declare)

Passes: ``--namespace howto.pvtdns`` (the deployed name, or a new one for the parallel
environment), or a manifest with ``cloudMap: {namespace: howto.pvtdns}``.

Fix: pass the namespace's name with ``--namespace NAME`` (``aws servicediscovery
list-namespaces``), or declare the ECS service in the template.
"""

import json

from meshify.injector.engine import MigrationContext, rule


@rule("R616", "error", "A namespace only the stack knows, for a JSON configuration", scope="migration")
def check(context: MigrationContext):
    current = context.plan
    refused = current.refused_namespace()
    template = current.namespace_template
    if not refused or template is None or current.namespace_loc is None:
        return
    names = ", ".join(f"`{name}`" for name in refused)
    shown = json.dumps(current.namespace) if isinstance(current.namespace, dict) else str(current.namespace)
    one = len(refused) == 1
    yield check.rule.finding(
        f"the Cloud Map namespace is {template}'s expression {shown} (the namespace of "
        f"`{current.namespace_node}`), which only the stack can evaluate: it holds in the template's ECS services, but "
        f"not in the JSON configuration{'' if one else 's'} of {names} for `aws ecs update-service`, which "
        f"{'is' if one else 'are'} not written; pass the deployed namespace's name with --namespace NAME "
        f"(`aws servicediscovery list-namespaces`), or declare {'that ECS service' if one else 'those ECS services'} "
        f"in {template}", current.namespace_loc)
