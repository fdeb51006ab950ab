#!/usr/bin/env bash
# compose's kafka-tls (one-shot, before the broker): the broker's TLS key, made once and kept on the kafka-tls
# volume. Clients trust its certificate (broker.crt, PEM); its name is the broker's compose host name, so hostname
# verification holds. Outside compose (ComposeBrokerIT) TLS_DIR and KAFKA_TLS_NAMES point elsewhere.
set -euo pipefail
: "${KAFKA_TLS_PASSWORD:?set KAFKA_TLS_PASSWORD in .env}"
tls="${TLS_DIR:-/tls}"
names="${KAFKA_TLS_NAMES:-kafka}"
san="dns:${names//,/,dns:}"
if [[ ! -f "$tls/broker.p12" ]]; then
  keytool -genkeypair -alias kafka -keyalg EC -groupname secp256r1 -dname "CN=${names%%,*}" -ext "SAN=$san" \
    -validity 825 -keystore "$tls/broker.p12" -storetype PKCS12 -storepass "$KAFKA_TLS_PASSWORD" 2>&1
  keytool -exportcert -rfc -alias kafka -keystore "$tls/broker.p12" -storepass "$KAFKA_TLS_PASSWORD" \
    -file "$tls/broker.crt" 2>&1
fi
# the key for the broker's user only (appuser, uid 1000, in apache/kafka); the certificate for everyone
if [[ "$(id -u)" == 0 ]]; then
  chown "${KAFKA_TLS_OWNER:-1000}" "$tls/broker.p12"
fi
chmod 600 "$tls/broker.p12" && chmod 644 "$tls/broker.crt"
