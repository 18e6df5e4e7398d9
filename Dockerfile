# Knoop in a container: a static binary on an empty base image.
#
#   docker build -t knoop .
#   docker run --env-file knoop.env -p 127.0.0.1:8080:8080 knoop
#
# The build command below is the one .ci/run checks (CGO_ENABLED=0, pure-Go
# olm through -tags goolm), so CI proves the image's binary builds static.

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -tags goolm -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /knoop ./cmd/knoop \
 && /knoop version

FROM scratch
# TLS to Slack and Matrix homeservers needs CA certificates. Time zones are
# compiled into the binary (it imports time/tzdata), so no zoneinfo is copied.
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /knoop /knoop
# Not root: a fixed unprivileged uid (there is no /etc/passwd to name it).
USER 65532:65532
ENV KNOOP_HTTP_LISTEN=0.0.0.0:8080 \
    KNOOP_LOG_FORMAT=json
EXPOSE 8080
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s \
  CMD ["/knoop", "ready", "--url", "http://127.0.0.1:8080/readyz"]
ENTRYPOINT ["/knoop"]
CMD ["run"]
