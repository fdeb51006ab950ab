#!/usr/bin/env bash
# compose's kafka-tls (one-shot): the broker's TLS key, made once and kept on the kafka-tls volume. Clients trust
# its certificate (broker.crt, PEM); its name is the broker's compose host name, so hostname verification holds.
set -euo pipefail
: "${KAFKA_TLS_PASSWORD:?set KAFKA_TLS_PASSWORD in .env}"
if [[ ! -f /tls/broker.p12 ]]; then
  keytool -genkeypair -alias kafka -keyalg EC -groupname secp256r1 -dname CN=kafka -ext SAN=dns:kafka -validity 825 \
    -keystore /tls/broker.p12 -storetype PKCS12 -storepass "$KAFKA_TLS_PASSWORD"
  keytool -exportcert -rfc -alias kafka -keystore /tls/broker.p12 -storepass "$KAFKA_TLS_PASSWORD" -file /tls/broker.crt
fi
# the key for the broker's user (appuser, uid 1000, in apache/kafka) only; the certificate for everyone
chown 1000 /tls/broker.p12 && chmod 600 /tls/broker.p12 && chmod 644 /tls/broker.crt
