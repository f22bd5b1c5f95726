"""The e-mail channel of the DOST centres (issue 18): each centre's mailbox read over IMAP.

Owns the e-mails the centres received (`InboundEmail`), their attachments and each mailbox's
read position. A new e-mail becomes an e-mail draft of its centre with a case reference; an
e-mail whose subject names a reference is added to that case (or draft); loops, bounces,
oversize, spam and forged senders are quarantined with a reason; attachments are checked and
stored like uploads (`meis.cases.services.documents`). Reading is idempotent by Message-ID.
A case worker files a draft as a case with the reference the sender was given.

Writes: `services.py` (`mailbox_read`, `mailboxes_read_all`, `email_intake`,
`email_file_as_case`), the reply through `meis.notifications.services`.
Reads: `selectors.py` (the centre's e-mail queue, one e-mail through the access check),
`screening.py` (what kind of mail a message is), `mailboxes.py` (the configured mailboxes).
"""
