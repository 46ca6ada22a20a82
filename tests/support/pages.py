"""What a page told its user: the messages a test client's response carries."""

from django.contrib.messages import get_messages


def messages_of(response) -> list[str]:
    """The texts of the messages of ``response``'s request: those its page showed, or (after a
    redirect not followed) those the next page will show."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def levelled_messages_of(response) -> list[tuple[str, str]]:
    """``messages_of``, each with its level: ``[("success", "1 programme submitted.")]``."""
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]
