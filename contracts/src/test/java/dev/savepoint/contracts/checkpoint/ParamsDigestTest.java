package dev.savepoint.contracts.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The data section's hash, in one pass, whatever sizes the stream's reads come in. */
class ParamsDigestTest {

    @Test
    void hashesTheDataSectionAndTheWholeFile() throws Exception {
        byte[] data = new byte[200_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        byte[] file = safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[50000],\"data_offsets\":[0,200000]}}", data);
        for (int chunk : new int[] {1, 3, 7, 8, 9, 4096, 1 << 20}) {
            ParamsDigest.Digests d = ParamsDigest.of(chunked(file, chunk));
            assertEquals(sha(data), d.paramsSha256(), "reads of " + chunk + " bytes");
            assertEquals(sha(file), d.fileSha256(), "reads of " + chunk + " bytes");
        }
    }

    @Test
    void noParamsHashForWhatIsNotSafetensors() throws Exception {
        assertNull(ParamsDigest.of(new ByteArrayInputStream(new byte[] {1, 2, 3})).paramsSha256());
        byte[] negative = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-5).array();
        assertNull(ParamsDigest.of(new ByteArrayInputStream(negative)).paramsSha256());
        byte[] truncated = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(100).array();
        assertNull(ParamsDigest.of(new ByteArrayInputStream(truncated)).paramsSha256());
        byte[] huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE).array();
        assertNull(ParamsDigest.of(new ByteArrayInputStream(huge)).paramsSha256());
    }

    private static byte[] safetensors(String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.write(h);
        out.write(data);
        return out.toByteArray();
    }

    private static InputStream chunked(byte[] bytes, int chunk) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    private static String sha(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
