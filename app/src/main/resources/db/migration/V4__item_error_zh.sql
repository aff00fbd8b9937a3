-- The Chinese wording of an item's error, shown by the page in Chinese (the code stays the key).
alter table items add column error_message_zh varchar(2000);
