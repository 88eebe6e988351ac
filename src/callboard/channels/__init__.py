"""The e-mail and messenger channels: mail intake over IMAP, replies by SMTP,
automatic acknowledgements, messenger bridges and the outbox that delivers.

The live center is reached through `LiveContacts` (the server's adapter), so
this package knows commands and the store, never the server.
"""

from callboard.channels.acknowledgement import acknowledgement, case_subject, spoken
from callboard.channels.channels_file import load_channels
from callboard.channels.delivery import Deliverer, Transport, smtp_transport, webhook_transport
from callboard.channels.email_desk import EmailDesk, NotAnEmail
from callboard.channels.imap_reader import MailboxReader
from callboard.channels.intake import LiveContacts, MailIntake, Taken, contact_id_for
from callboard.channels.language import guess
from callboard.channels.mailbox import Mailbox, mailbox_from_url, parse_size
from callboard.channels.messenger import Inbound, Messenger, MessengerDesk, messenger_from_option
from callboard.channels.mime import Parsed, parse
from callboard.channels.smtp import SmtpServer, message_of, smtp_from_url

__all__ = [
    "Deliverer",
    "EmailDesk",
    "Inbound",
    "LiveContacts",
    "MailIntake",
    "Mailbox",
    "MailboxReader",
    "Messenger",
    "MessengerDesk",
    "NotAnEmail",
    "Parsed",
    "SmtpServer",
    "Taken",
    "Transport",
    "acknowledgement",
    "case_subject",
    "contact_id_for",
    "guess",
    "load_channels",
    "mailbox_from_url",
    "message_of",
    "messenger_from_option",
    "parse",
    "parse_size",
    "smtp_from_url",
    "smtp_transport",
    "spoken",
    "webhook_transport",
]
