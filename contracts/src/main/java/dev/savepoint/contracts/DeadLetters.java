package dev.savepoint.contracts;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** What every consumer puts on a dead-lettered record: its headers, why, and where it came from. */
public final class DeadLetters {

    /** Header naming the original record: {@code topic/partition@offset}. */
    public static final String SOURCE_HEADER = "savepoint-dlq-source";

    private DeadLetters() {
    }

    /** The original headers plus the reason ({@link Topics#DLQ_REASON_HEADER}) and the source. */
    public static Headers headers(ConsumerRecord<?, byte[]> record, String reason) {
        RecordHeaders headers = new RecordHeaders();
        record.headers().forEach(headers::add);
        headers.add(Topics.DLQ_REASON_HEADER, utf8(reason));
        headers.add(SOURCE_HEADER, utf8(record.topic() + "/" + record.partition() + "@" + record.offset()));
        return headers;
    }

    /** The record's value, empty for a null (tombstone) value. */
    public static byte[] value(ConsumerRecord<?, byte[]> record) {
        return record.value() == null ? new byte[0] : record.value();
    }

    private static byte[] utf8(String text) {
        return (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
    }
}
