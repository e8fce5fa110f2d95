package dev.savepoint.contracts;

import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.contracts.events.Heartbeat;
import dev.savepoint.contracts.events.SavepointEvent;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Why an event is believed: every Savepoint record carries the header {@value #HEADER}, an HMAC-SHA256 of its value
 * bytes, in one of two forms. {@code service <mac>} is keyed by the master key K ({@value #KEY_VARIABLE}), which only
 * the services hold: the scheduler's commands and the services' own events. {@code attempt <mac>} is keyed by the
 * attempt's secret, derived from K as HMAC-SHA256(K, "attempt:" + runId + "/" + attempt), so that any holder of K
 * verifies it without storing anything, while the attempt (which gets only its own secret, never K) can sign events of
 * its own run and attempt number and of no other. A record whose signature is missing or wrong is refused with a
 * {@link SignatureException}, which every consumer dead-letters with its reason before it changes anything.
 */
public final class EventSignatures {

    /** The record header carrying the signature. */
    public static final String HEADER = "savepoint-signature";
    /** The environment variable of the services holding K. */
    public static final String KEY_VARIABLE = "SAVEPOINT_EVENT_KEY";
    /** K's shortest accepted length in characters: a short key is guessed. */
    public static final int MIN_KEY_LENGTH = 32;

    private static final String SERVICE_FORM = "service ";
    private static final String ATTEMPT_FORM = "attempt ";
    /** What an attempt (or trainer-service on its behalf) sends; anything else needs the service form. */
    private static final Set<String> ATTEMPT_TYPES = Set.of(AttemptStarted.TYPE, Heartbeat.TYPE, AttemptFailed.TYPE,
            AttemptSucceeded.TYPE, CheckpointWritten.TYPE);

    private final byte[] key;

    /** @param key K, as text; its UTF-8 bytes are the HMAC key */
    public EventSignatures(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("the event key is not configured: set " + KEY_VARIABLE
                    + " (the local stack generates one)");
        }
        if (key.length() < MIN_KEY_LENGTH) {
            throw new IllegalArgumentException("the event key " + KEY_VARIABLE + " has " + key.length()
                    + " characters; it needs at least " + MIN_KEY_LENGTH);
        }
        this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    /** The secret of one attempt: what it signs its events with, given to it in its environment instead of K. */
    public String attemptSecret(String runId, int attempt) {
        return base64(hmac(key, ("attempt:" + runId + "/" + attempt).getBytes(StandardCharsets.UTF_8)));
    }

    /** The header value of a record a service sends: keyed by K. */
    public String signAsService(byte[] value) {
        return SERVICE_FORM + base64(hmac(key, value));
    }

    /** The header value of a record an attempt sends, with the secret {@link #attemptSecret} gave it. */
    public static String signAsAttempt(String attemptSecret, byte[] value) {
        if (attemptSecret == null || attemptSecret.isBlank()) {
            throw new IllegalArgumentException("the attempt has no secret to sign its events with");
        }
        return ATTEMPT_FORM + base64(hmac(attemptSecret.getBytes(StandardCharsets.UTF_8), value));
    }

    /**
     * The signature for {@code value} (the JSON of {@code event}) as its sender would make it: the attempt form for
     * the events an attempt sends, the service form for every other. For the one place (trainer-service, tests) that
     * holds K and sends on an attempt's behalf.
     */
    public String sign(SavepointEvent event, byte[] value) {
        return ATTEMPT_TYPES.contains(event.type())
                ? signAsAttempt(attemptSecret(event.runId(), event.attempt()), value)
                : signAsService(value);
    }

    /** {@link #sign} as the header's bytes. */
    public byte[] signature(SavepointEvent event, byte[] value) {
        return sign(event, value).getBytes(StandardCharsets.UTF_8);
    }

    /** Headers carrying {@link #sign}'s signature, for a producer record of {@code value}. */
    public Headers headers(SavepointEvent event, byte[] value) {
        return new RecordHeaders().add(HEADER, signature(event, value));
    }

    /**
     * The event of a record whose signature is valid in either form; the attempt form only for an event an attempt
     * sends, of the run and attempt its secret was derived for.
     *
     * @throws SignatureException when the signature is missing or wrong (nothing may be done with the record)
     * @throws Failures.UnreadableRecordException when the signed value is not an event
     */
    public SavepointEvent verify(ConsumerRecord<?, byte[]> record) {
        return verify(record, true);
    }

    /** As {@link #verify} but only the service form: for commands, which only the scheduler sends. */
    public SavepointEvent verifyFromService(ConsumerRecord<?, byte[]> record) {
        return verify(record, false);
    }

    private SavepointEvent verify(ConsumerRecord<?, byte[]> record, boolean attemptsMaySign) {
        if (record.value() == null) {
            return Failures.readable(record); // a tombstone: unreadable, whatever it carries
        }
        Header header = record.headers().lastHeader(HEADER);
        if (header == null || header.value() == null) {
            throw new SignatureException(record, "it has no " + HEADER + " header");
        }
        String signature = new String(header.value(), StandardCharsets.UTF_8);
        if (signature.startsWith(SERVICE_FORM)) {
            requireEqual(record, signature, signAsService(record.value()));
            return Failures.readable(record);
        }
        if (!signature.startsWith(ATTEMPT_FORM)) {
            throw new SignatureException(record, "its " + HEADER + " header is neither 'service ...' nor "
                    + "'attempt ...'");
        }
        if (!attemptsMaySign) {
            throw new SignatureException(record, "it is signed by an attempt; only a service may send it");
        }
        SavepointEvent event = Failures.readable(record);
        if (!ATTEMPT_TYPES.contains(event.type())) {
            throw new SignatureException(record, "it is a " + event.type() + " signed by an attempt; only a service "
                    + "may send one");
        }
        requireEqual(record, signature, signAsAttempt(attemptSecret(event.runId(), event.attempt()), record.value()));
        return event;
    }

    private static void requireEqual(ConsumerRecord<?, byte[]> record, String given, String expected) {
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8))) {
            throw new SignatureException(record, "its " + HEADER + " does not match its content (forged, tampered "
                    + "with, or signed for another run or attempt)");
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable: " + e.getMessage(), e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A record not signed by who may send it: dead-lettered at once with the reason, never retried. */
    public static final class SignatureException extends IllegalArgumentException {
        public SignatureException(ConsumerRecord<?, ?> record, String why) {
            super(record.topic() + "/" + record.partition() + "@" + record.offset() + " is refused: " + why);
        }
    }
}
