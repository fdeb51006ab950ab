#!/usr/bin/env bash
# compose's kafka (apache/kafka image): a single KRaft node whose only listener for clients is SASL_SSL with
# SCRAM-SHA-512, with the standard authorizer and no access without an ACL. The controller listener is bound to
# the container's loopback and authenticates the broker itself (PLAIN, a password made at each start).
# SCRAM users exist only if written when the storage is formatted: the admin is added here; every other user,
# topic and ACL comes from kafka-init (kz.ehr.local.KafkaAccess, the same table as ./ehr up's broker).
# The defaults are the container's; ComposeBrokerIT (platform-tests) runs this same script on the host with
# KAFKA_BIN pointing at Maven Central's Kafka jars, its own directories, ports and host name.
set -euo pipefail
: "${KAFKA_ADMIN_PASSWORD:?set EHR_KAFKA_PASSWORD_ADMIN in .env}"
: "${KAFKA_TLS_PASSWORD:?set KAFKA_TLS_PASSWORD in .env}"
: "${CLUSTER_ID:?set KAFKA_CLUSTER_ID in .env}"
bin="${KAFKA_BIN:-/opt/kafka/bin}"
tls="${TLS_DIR:-/tls}"
data="${KAFKA_DATA_DIR:-/var/lib/kafka/data}"
conf="${KAFKA_CONFIG_DIR:-/tmp}"
listen="${KAFKA_LISTEN_HOST:-0.0.0.0}"
port="${KAFKA_CLIENT_PORT:-9093}"
controller_port="${KAFKA_CONTROLLER_PORT:-9094}"
host="${KAFKA_ADVERTISED_HOST:-kafka}"
controller_password="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
config="$conf/server.properties"
umask 077
cat > "$config" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${controller_port}
listeners=CLIENT://${listen}:${port},CONTROLLER://127.0.0.1:${controller_port}
advertised.listeners=CLIENT://${host}:${port}
listener.security.protocol.map=CLIENT:SASL_SSL,CONTROLLER:SASL_PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=CLIENT
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${KAFKA_ADMIN_PASSWORD}";
listener.name.controller.sasl.enabled.mechanisms=PLAIN
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="controller" password="${controller_password}" user_controller="${controller_password}";
ssl.keystore.type=PKCS12
ssl.keystore.location=${tls}/broker.p12
ssl.keystore.password=${KAFKA_TLS_PASSWORD}
ssl.key.password=${KAFKA_TLS_PASSWORD}
ssl.truststore.type=PEM
ssl.truststore.location=${tls}/broker.crt
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin;User:controller
allow.everyone.if.no.acl.found=false
log.dirs=${data}
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
# the health check's client settings: the admin over TLS
cat > "$conf/admin.properties" <<PROPS
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${KAFKA_ADMIN_PASSWORD}";
ssl.truststore.type=PEM
ssl.truststore.location=${tls}/broker.crt
PROPS
"$bin/kafka-storage.sh" format -t "$CLUSTER_ID" -c "$config" --ignore-formatted \
  --add-scram "SCRAM-SHA-512=[name=admin,password=${KAFKA_ADMIN_PASSWORD}]"
exec "$bin/kafka-server-start.sh" "$config"
