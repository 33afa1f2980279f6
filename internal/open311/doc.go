// Package open311 is trygg's Open311 GeoReport v2 vocabulary: the services,
// service definitions, service requests, tokens, discovery document and errors of
// the specification (wiki.open311.org/GeoReport_v2), with both json and xml tags
// spelling the specification's element names; the decoding of a form-encoded POST
// requests body (including attribute[CODE] and attribute[CODE][]); its validation
// against a service definition; and the rules that turn trygg's reports into
// public service requests. It knows nothing of HTTP or SQL.
//
// How trygg maps onto GeoReport v2:
//
//   - A service is an active, reportable category; service_code is the category
//     code (FEL.LIGHT), group is the report kind (otrygghet or felanmälan).
//     Otrygghet services carry attributes feeling (1–5) and time_of_day.
//   - jurisdiction_id is a kommunkod (1781 = Kristinehamn). It is optional because
//     every municipality offers the same services; an unknown one is a 404.
//   - service_request_id is the report's short reference (K7Q9-XM2A). trygg
//     creates requests in real time, so POST answers with the id at once; it also
//     returns a token (the report's UUID) that tokens/{token} resolves.
//   - status: received, triaged, in_progress and forwarded are open; resolved,
//     rejected and duplicate are closed.
//   - GET requests shows only published reports and never personal data: the
//     public never sees a resident's free text, so description is always empty;
//     contact fields are never returned. Points of sensitive categories are moved
//     to the centre of their 100 m × 100 m cell of SWEREF 99 TM (EPSG:3006);
//     restricted categories have no lat/long at all.
//   - The default window is the last 90 days, start_date..end_date may not span
//     more than 90 days, and at most 1000 requests are returned, newest first, as
//     the specification recommends.
//   - media_url is accepted on POST but not fetched or stored: trygg keeps only
//     photos uploaded and cleaned through its own API, never remote URLs.
package open311
