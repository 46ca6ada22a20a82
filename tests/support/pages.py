"""What a page told its user (the messages a test client's response carries) and which templates
rendered it."""

from django.contrib.messages import get_messages


def messages_of(response) -> list[str]:
    """The texts of the messages of ``response``'s request: those its page showed, or (after a
    redirect not followed) those the next page will show."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def levelled_messages_of(response) -> list[tuple[str, str]]:
    """``messages_of``, each with its level: ``[("success", "1 programme submitted.")]``."""
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def templates_of(response) -> set[str]:
    """The templates that rendered ``response``; a partial as ``"file.html#name"``, the file
    that defines it."""
    names = set()
    for template in response.templates:
        file = template.origin.template_name
        names.add(file if template.name == file else f"{file}#{template.name}")
    return names
