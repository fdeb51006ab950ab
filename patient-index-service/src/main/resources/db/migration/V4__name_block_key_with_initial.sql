-- Common Kazakh surnames make "surname prefix + birth year" blocks of hundreds in a national index; adding the
-- first initial of the first name cuts them ~15x. Swapped names are still found through the swapped keys.
UPDATE source_record SET name_key = name_key || '|' || coalesce(left(first_norm, 1), '?') WHERE name_key IS NOT NULL;
