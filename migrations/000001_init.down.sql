DROP TABLE IF EXISTS api_tokens, idempotency_keys, photos, report_events, report_contacts, reports, categories, municipalities;
DROP FUNCTION IF EXISTS reports_set_municipality();
