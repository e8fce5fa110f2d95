package dev.savepoint.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.savepoint.contracts.spec.RunSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Our safetensors files are what DJL (and so Python) expects, and our reader refuses broken ones. */
class SafetensorsTest {

    @Test
    void ndlistDecodeReadsOurSafetensors() {
        RunSpec spec = TestSpecs.mlpAdamW(1);
        Snapshot snapshot;
        try (TrainingSession session = new TrainingSession(spec, TestSpecs.dataFor(spec))) {
            session.step();
            snapshot = session.snapshot();
        }
        assertDecodesTheSame(snapshot.parameters());
        assertDecodesTheSame(snapshot.optimizerState());
    }

    /** What checkpoint-service computes from a stored model file is the attempt's finalParamsSha256. */
    @Test
    void paramsDigestOfTheModelFileIsTheParameterHash() throws java.io.IOException {
        RunSpec spec = TestSpecs.mlpAdamW(1);
        Snapshot snapshot;
        try (TrainingSession session = new TrainingSession(spec, TestSpecs.dataFor(spec))) {
            session.step();
            snapshot = session.snapshot();
        }
        byte[] file = SafetensorsWriter.toBytes(snapshot.parameters(), Map.of("format", "pt", "step", "1"));
        var digests = dev.savepoint.contracts.checkpoint.ParamsDigest.of(new java.io.ByteArrayInputStream(file));
        assertEquals(snapshot.parametersSha256(), digests.paramsSha256());
        byte[] changed = file.clone();
        changed[changed.length - 1] ^= 1; // one bit of the last parameter
        assertTrue(!snapshot.parametersSha256().equals(dev.savepoint.contracts.checkpoint.ParamsDigest
                .of(new java.io.ByteArrayInputStream(changed)).paramsSha256()));
    }

    private static void assertDecodesTheSame(Map<String, HostTensor> tensors) {
        byte[] file = SafetensorsWriter.toBytes(tensors, Map.of("format", "pt"));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList decoded = NDList.decode(manager, file);
            assertEquals(tensors.size(), decoded.size());
            Map<String, HostTensor> sorted = new TreeMap<>(tensors);
            for (NDArray array : decoded) {
                HostTensor expected = sorted.get(array.getName());
                assertTrue(expected != null, "DJL found an unexpected tensor " + array.getName());
                assertArrayEquals(expected.shape(), array.getShape().getShape(), array.getName());
                assertEquals(expected.dtype(), DType.of(array.getDataType()), array.getName());
                assertArrayEquals(expected.data(), array.toByteArray(), array.getName());
            }
        }
    }

    @Test
    void readerReturnsWhatWriterWrote() {
        Map<String, HostTensor> tensors = Map.of(
                "b", HostTensor.ofFloats(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, -6.5f}),
                "a.step", HostTensor.ofLong(137));
        SafetensorsReader.Contents read = SafetensorsReader.read(SafetensorsWriter.toBytes(tensors, Map.of("k", "v")));
        assertEquals(Map.of("k", "v"), read.metadata());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, -6.5f}, read.tensors().get("b").toFloats());
        assertArrayEquals(new long[] {2, 3}, read.tensors().get("b").shape());
        assertEquals(137, read.tensors().get("a.step").toLong());
    }

    @Test
    void headerIsPaddedToEightBytes() {
        byte[] file = SafetensorsWriter.toBytes(Map.of("x", HostTensor.ofLong(1)), Map.of());
        long headerLength = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8);
    }

    @Test
    void readerNamesTheTensorWhoseOffsetsAreWrong() {
        byte[] file = SafetensorsWriter.toBytes(Map.of("w", HostTensor.ofFloats(new long[] {4}, new float[4])), Map.of());
        byte[] truncated = java.util.Arrays.copyOf(file, file.length - 4);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> SafetensorsReader.read(truncated));
        assertTrue(error.getMessage().contains("'w'"), error.getMessage());
    }
}
