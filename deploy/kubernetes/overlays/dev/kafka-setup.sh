#!/bin/sh
# Creates the dev Kafka's topics, SCRAM users and ACLs as its super user admin (SASL/PLAIN), as the local stack does
# (local-stack KafkaNode, KafkaUsers): every topic named in the ACL file (3 partitions), a SCRAM-SHA-256 credential for
# each service's user and the attempts', and the ACLs of the file. Idempotent: run it again after changing a password.
# Run by the dev overlay's Job kafka-setup and by deploy/compose's kafka-setup, in the apache/kafka image.
# Environment: KAFKA_BOOTSTRAP, ADMIN_PASSWORD; each service's JAAS line (the one it connects with) KAFKA_JAAS_SCHEDULER,
# KAFKA_JAAS_CHECKPOINT, KAFKA_JAAS_TRAINER; the attempts' ATTEMPT_USER and ATTEMPT_PASSWORD. $1: the ACL file.
set -eu
acls=${1:-/etc/kafka-setup/kafka-acls.txt}
bin=${KAFKA_BIN:-/opt/kafka/bin}
umask 077
mkdir -p /tmp/kafka-setup
config=/tmp/kafka-setup/admin.properties
cat > "$config" <<PROPERTIES
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$ADMIN_PASSWORD";
PROPERTIES
admin() {
  tool=$1; shift
  "$bin/$tool.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$config" "$@"
}

until admin kafka-topics --list >/dev/null; do
  echo "Kafka at $KAFKA_BOOTSTRAP does not accept admin yet; trying again in 5 s"
  sleep 5
done

rules() { grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$acls"; }

for topic in $(rules | awk '$2 == "topic" {print $4}' | sort -u); do
  admin kafka-topics --create --if-not-exists --topic "$topic" --partitions 3 --replication-factor 1
done

# A JAAS option's value: username or password.
option() { printf '%s\n' "$1" | sed -n "s/.*$2=\"\([^\"]*\)\".*/\1/p"; }
scram() {
  case "$2" in
    '' | *[],=[]*)
      echo "the Kafka password of $1 is empty or has one of , = [ ]: use letters and digits (openssl rand -hex 24)" >&2
      exit 1 ;;
  esac
  admin kafka-configs --alter --entity-type users --entity-name "$1" \
    --add-config "SCRAM-SHA-256=[iterations=8192,password=$2]"
}
service_user() {
  named=$(option "$2" username)
  if [ "$named" != "$1" ]; then
    echo "the JAAS line of $1 names the user '$named', but the ACLs are $1's: use username=\"$1\"" >&2
    exit 1
  fi
  scram "$1" "$(option "$2" password)"
}
service_user scheduler "$KAFKA_JAAS_SCHEDULER"
service_user checkpoint "$KAFKA_JAAS_CHECKPOINT"
service_user trainer "$KAFKA_JAAS_TRAINER"
if [ "$ATTEMPT_USER" != attempt ]; then
  echo "the attempts' Kafka user is '$ATTEMPT_USER', but the ACLs are attempt's: set savepoint-kafka-user=attempt" >&2
  exit 1
fi
scram attempt "$ATTEMPT_PASSWORD"

rules | while read -r user type pattern name operations; do
  if [ "$type" = cluster ]; then resource=--cluster; else resource="--$type $name"; fi
  ops=""
  for op in $(printf '%s' "$operations" | tr , ' '); do ops="$ops --operation $op"; done
  # shellcheck disable=SC2086 (resource and ops are word lists)
  admin kafka-acls --add --allow-principal "User:$user" --resource-pattern-type "$pattern" $resource $ops
done
echo "Kafka's topics, users and ACLs are in place"
