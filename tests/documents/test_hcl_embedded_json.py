"""Editing the JSON a .tf keeps in a string: ``container_definitions`` written as a heredoc
(``<<EOT`` or the indented ``<<-EOT``) or a quoted string. An edit changes only what it
touches, and what it adds is written the way the string writes it: in an indented heredoc,
the new lines carry the heredoc's indentation (Terraform strips it again)."""

from __future__ import annotations

import json

from meshify.injector.documents.document import Document

BASE = "/resource/aws_ecs_task_definition/app/container_definitions"

INDENTED = """resource "aws_ecs_task_definition" "app" {
  family = "app"

  container_definitions = <<-EOT
    [
      {
        "name": "app",
        "image": "app:1",
        "environment": []
      }
    ]
  EOT
}
"""


def _render(text: str, patch: list[dict], path: str = "main.tf") -> str:
    return Document.load(path, text).render(patch)


def test_an_added_member_in_an_indented_heredoc_takes_its_indentation():
    out = _render(INDENTED, [{"op": "add", "path": BASE + "/0/user", "value": "1337"}])
    assert out == INDENTED.replace('"environment": []\n', '"environment": [],\n        "user": "1337"\n')


def test_an_added_container_in_an_indented_heredoc_reads_back_as_the_same_json():
    envoy = {"name": "envoy", "image": "envoy:1", "essential": True, "portMappings": [{"containerPort": 9901}]}
    out = _render(INDENTED, [{"op": "add", "path": BASE + "/-", "value": envoy}])
    assert out == INDENTED.replace("""      }
    ]""", """      },
      {
        "name": "envoy",
        "image": "envoy:1",
        "essential": true,
        "portMappings": [
          {
            "containerPort": 9901
          }
        ]
      }
    ]""")
    again = Document.load("main.tf", out)
    assert again.data["resource"]["aws_ecs_task_definition"]["app"]["container_definitions"][1] == envoy
    assert again.position(BASE + "/1/portMappings/0/containerPort") == (17, 13)


def test_removing_from_an_indented_heredoc_gives_the_text_back():
    added = _render(INDENTED, [{"op": "add", "path": BASE + "/0/user", "value": "1337"}])
    assert _render(added, [{"op": "remove", "path": BASE + "/0/user"}]) == INDENTED


def test_an_indented_heredoc_with_tabs_keeps_its_tabs():
    text = INDENTED.replace("    ", "\t\t").replace("  EOT", "\tEOT")
    out = _render(text, [{"op": "add", "path": BASE + "/0/user", "value": "1337"}])
    assert out == text.replace('"environment": []\n', '"environment": [],\n\t\t\t\t"user": "1337"\n')


def test_a_crlf_heredoc_stays_crlf_and_escapes_stay_escapes():
    text = INDENTED.replace('"app:1"', '"$${registry}/app:1"').replace("\n", "\r\n")
    out = Document.load("main.tf", text).render([{"op": "add", "path": BASE + "/0/user", "value": "1337"}])
    assert out == text.replace('"environment": []\r\n', '"environment": [],\r\n        "user": "1337"\r\n')


def test_a_plain_heredoc_is_edited_verbatim():
    text = INDENTED.replace("<<-EOT", "<<EOT").replace("  EOT\n", "EOT\n")
    out = _render(text, [{"op": "replace", "path": BASE + "/0/image", "value": "app:2"}])
    assert out == text.replace('"app:1"', '"app:2"')


def test_a_quoted_string_is_edited_in_place_and_keeps_its_escapes():
    text = ('resource "aws_ecs_task_definition" "app" {\n'
            '  container_definitions = "[{\\"name\\": \\"app\\", \\"image\\": \\"app:1\\", \\"cpu\\": \\u0031}]"\n'
            "}\n")
    out = _render(text, [{"op": "add", "path": BASE + "/0/user", "value": "1337"}])
    assert out == text.replace('\\u0031}', '\\u0031, \\"user\\": \\"1337\\"}')
    containers = Document.load("main.tf", out).data["resource"]["aws_ecs_task_definition"]["app"]["container_definitions"]
    assert containers == [{"name": "app", "image": "app:1", "cpu": 1, "user": "1337"}]


def test_a_string_with_a_newline_in_a_quoted_string_is_escaped():
    text = ('resource "aws_ecs_task_definition" "app" {\n'
            '  container_definitions = "[{\\"name\\": \\"app\\", \\"image\\": \\"app:1\\"}]"\n'
            "}\n")
    out = _render(text, [{"op": "add", "path": BASE + "/0/command", "value": ["sh", "-c", 'echo "a\nb"']}])
    containers = Document.load("main.tf", out).data["resource"]["aws_ecs_task_definition"]["app"]["container_definitions"]
    assert containers[0]["command"] == ["sh", "-c", 'echo "a\nb"']
    assert json.loads(json.dumps(containers))  # still JSON


def test_an_edit_in_a_large_heredoc_stays_linear():
    """An edit copies the rest of the heredoc from the file: the text it compares is the
    edit's place, not the whole heredoc (difflib over 300 kB took minutes)."""
    import time

    containers = [{"name": f"c{i}", "image": "x:1", "environment": [{"name": "A", "value": "b" * 20}]}
                  for i in range(1500)]
    body = "\n".join("    " + line for line in json.dumps(containers, indent=2).splitlines())
    text = f'resource "aws_ecs_task_definition" "app" {{\n  container_definitions = <<-EOT\n{body}\n  EOT\n}}\n'
    document = Document.load("main.tf", text)
    started = time.process_time()
    out = document.render([{"op": "add", "path": BASE + "/1499/user", "value": "1337"}])
    assert time.process_time() - started < 5  # about 0.5 s; quadratic took minutes
    tail = '          }\n        ]\n      }\n    ]\n  EOT\n}\n'
    assert text.endswith(tail)
    assert out == text[: -len(tail)] + '          }\n        ],\n        "user": "1337"\n      }\n    ]\n  EOT\n}\n'
