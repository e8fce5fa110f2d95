package dev.savepoint.contracts;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * What a dead-lettered record carries, in SmallRye Reactive Messaging's format (its {@code dead-letter-queue} failure
 * strategy parks the records of every single-record channel): the original key, value and headers, plus why and
 * where it came from. A consumer that parks records itself (a batch consumer) builds the same headers here.
 */
public final class DeadLetters {

    /** Why the record could not be processed (the failure's message). */
    public static final String REASON_HEADER = "dead-letter-reason";
    /** The failure's class. */
    public static final String EXCEPTION_HEADER = "dead-letter-exception-class-name";
    /** The message of the failure's cause, when it has one. */
    public static final String CAUSE_HEADER = "dead-letter-cause";
    /** The class of the failure's cause, when it has one. */
    public static final String CAUSE_CLASS_HEADER = "dead-letter-cause-class-name";
    /** The topic the record was read from. */
    public static final String TOPIC_HEADER = "dead-letter-topic";
    /** The partition the record was read from. */
    public static final String PARTITION_HEADER = "dead-letter-partition";
    /** The offset of the record in its partition. */
    public static final String OFFSET_HEADER = "dead-letter-offset";

    private DeadLetters() {
    }

    /** The dead-letter headers for {@code record} failed by {@code failure}, then the record's own headers. */
    public static Headers headers(ConsumerRecord<?, byte[]> record, Throwable failure) {
        RecordHeaders headers = new RecordHeaders();
        add(headers, EXCEPTION_HEADER, failure.getClass().getName());
        add(headers, REASON_HEADER, messageOf(failure));
        if (failure.getCause() != null) {
            add(headers, CAUSE_CLASS_HEADER, failure.getCause().getClass().getName());
            add(headers, CAUSE_HEADER, messageOf(failure.getCause()));
        }
        add(headers, TOPIC_HEADER, record.topic());
        add(headers, PARTITION_HEADER, Integer.toString(record.partition()));
        add(headers, OFFSET_HEADER, Long.toString(record.offset()));
        record.headers().forEach(headers::add);
        return headers;
    }

    /** The reason a dead letter states, if it is one. */
    public static Optional<String> reason(ConsumerRecord<?, ?> deadLetter) {
        Header header = deadLetter.headers().lastHeader(REASON_HEADER);
        return Optional.ofNullable(header).map(h -> new String(h.value(), StandardCharsets.UTF_8));
    }

    private static String messageOf(Throwable failure) {
        return failure.getMessage() == null ? failure.toString() : failure.getMessage();
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
