package dev.ssehub.server;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frames go through an output stream's write(ByteBuffer) where it has one, else through write(byte[]). */
class FrameWriterTest {

    private static final byte[] FRAME = "data: x\n\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void aStreamWithWriteByteBufferGetsTheFrameAsAByteBufferOverTheSameArray() throws IOException {
        BufferStream out = new BufferStream();
        FrameWriter writer = new FrameWriter(out);
        assertTrue(writer.writesBuffers());
        writer.write(FRAME);
        assertEquals(0, out.arrays.size());
        assertSame(FRAME, out.buffer.array()); // sent as it is, not copied first
        assertEquals(FRAME.length, out.buffer.remaining());
    }

    @Test
    void aStreamWithoutOneGetsWriteByteArray() throws IOException {
        ArrayStream out = new ArrayStream();
        FrameWriter writer = new FrameWriter(out);
        assertFalse(writer.writesBuffers());
        writer.write(FRAME);
        assertArrayEquals(FRAME, out.arrays.toByteArray());
    }

    @Test
    void aFailedWriteThrowsItsOwnIOException() {
        IOException gone = assertThrows(IOException.class, () -> new FrameWriter(new BrokenStream()).write(FRAME));
        assertEquals("client gone", gone.getMessage());
    }

    /** An output stream as Servlet 6.0 defines it: no write(ByteBuffer). */
    static class ArrayStream extends ServletOutputStream {
        final ByteArrayOutputStream arrays = new ByteArrayOutputStream();

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
        }

        @Override
        public void write(int b) {
            arrays.write(b);
        }
    }

    /** One with a public write(ByteBuffer), as Jetty 12's and Servlet 6.1's have. */
    public static class BufferStream extends ArrayStream {
        ByteBuffer buffer;

        public void write(ByteBuffer frame) {
            buffer = frame;
        }
    }

    public static class BrokenStream extends ArrayStream {
        public void write(ByteBuffer frame) throws IOException {
            throw new IOException("client gone");
        }
    }
}
