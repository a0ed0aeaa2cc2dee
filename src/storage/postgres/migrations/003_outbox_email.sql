-- E-mail is one more kind of outbox message: its lane is `mail:<address>` (in to_recipient and
-- lane, as a recipient's is), its body the mail as JSON (in outbox_replies.reply).
ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_op_check;
ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_op_check
  CHECK (op IN ('send', 'update', 'create-thread', 'email'));
