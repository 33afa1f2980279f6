# syntax=docker/dockerfile:1

# Build stage: a static binary (no cgo), so the runtime image needs no C libraries.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# timetzdata embeds the zone database: Europe/Stockholm decides which day, week and
# month a report falls in, whatever the runtime image carries.
RUN CGO_ENABLED=0 go build -trimpath -tags timetzdata -ldflags="-s -w" -o /out/trygg ./cmd/trygg

# Runtime stage: debian-slim rather than distroless so the entrypoint (a shell
# script that migrates, then serves) can run.
FROM debian:bookworm-slim
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/trygg /usr/local/bin/trygg
COPY scripts/docker-entrypoint /usr/local/bin/docker-entrypoint
USER 65532:65532
ENV TRYGG_ADDR=:8080
EXPOSE 8080
ENTRYPOINT ["docker-entrypoint"]
CMD ["serve"]
