package delivery

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// maxReply caps what is read of a receiver's answer.
const maxReply = 64 << 10

// webhookBody is the JSON a webhook receives.
type webhookBody struct {
	DeliveryID  string    `json:"delivery_id"`
	Event       string    `json:"event"`
	ForwardedAt time.Time `json:"forwarded_at"`
	Report      Report    `json:"report"`
}

// Sender makes one attempt of a delivery over HTTP.
type Sender struct {
	Client *http.Client
	Now    func() time.Time
}

// Send makes attempt number attempt of j. It returns the receiver's id for the
// report when it names one (Open311's service_request_id).
func (s Sender) Send(ctx context.Context, j Job, attempt int) (string, error) {
	switch j.Destination.Kind {
	case KindWebhook:
		return "", s.webhook(ctx, j, attempt)
	case KindOpen311:
		return s.open311(ctx, j, attempt)
	}
	return "", fmt.Errorf("unknown destination kind %q", j.Destination.Kind)
}

func (s Sender) webhook(ctx context.Context, j Job, attempt int) error {
	body, err := json.Marshal(webhookBody{DeliveryID: j.Delivery.ID.String(), Event: "report.forwarded",
		ForwardedAt: j.ForwardedAt.UTC(), Report: j.Report})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, j.Destination.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	ts := time.Now()
	if s.Now != nil {
		ts = s.Now()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
	req.Header.Set(HeaderSignature, Sign([]byte(j.Destination.Secret), ts, body))
	s.common(req, j, attempt)
	_, err = s.do(req)
	return err
}

// open311 POSTs a GeoReport v2 service request. Open311 has no idempotency
// field, so the delivery id travels three ways: as device_id (a server that
// recognises a device's repeated submission, as trygg's own Open311 endpoint
// does within open311.RetryWindow, answers a retry with the first request),
// and as the X-Trygg-Delivery and Idempotency-Key headers for gateways that
// honour them.
func (s Sender) open311(ctx context.Context, j Job, attempt int) (string, error) {
	code := j.Destination.ServiceCode
	if code == "" {
		code = j.Report.Category
	}
	form := url.Values{
		"service_code": {code},
		"lat":          {strconv.FormatFloat(j.Report.Lat, 'f', -1, 64)},
		"long":         {strconv.FormatFloat(j.Report.Lon, 'f', -1, 64)},
		"description":  {strings.TrimSpace(j.Report.Description + "\n\n(trygg " + j.Report.Reference + ")")},
	}
	form.Set("device_id", "trygg-delivery-"+j.Delivery.ID.String())
	if j.Destination.APIKey != "" {
		form.Set("api_key", j.Destination.APIKey)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, j.Destination.URL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Idempotency-Key", j.Delivery.ID.String())
	s.common(req, j, attempt)
	reply, err := s.do(req)
	if err != nil {
		return "", err
	}
	var created []struct {
		ID any `json:"service_request_id"`
	}
	if json.Unmarshal(reply, &created) == nil && len(created) > 0 && created[0].ID != nil {
		return fmt.Sprint(created[0].ID), nil
	}
	return "", nil
}

func (s Sender) common(req *http.Request, j Job, attempt int) {
	req.Header.Set("User-Agent", "trygg-delivery/1")
	req.Header.Set(HeaderDelivery, j.Delivery.ID.String())
	req.Header.Set(HeaderAttempt, strconv.Itoa(attempt))
}

// do sends req; anything but a 2xx is an error worth another attempt.
func (s Sender) do(req *http.Request) ([]byte, error) {
	c := s.Client
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	reply, _ := io.ReadAll(io.LimitReader(resp.Body, maxReply))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		snippet := strings.TrimSpace(string(reply))
		if len(snippet) > 200 {
			snippet = snippet[:200]
		}
		return nil, fmt.Errorf("receiver answered %s: %s", resp.Status, snippet)
	}
	return reply, nil
}
