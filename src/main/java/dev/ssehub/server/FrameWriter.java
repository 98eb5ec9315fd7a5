package dev.ssehub.server;

import jakarta.servlet.ServletOutputStream;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;

/**
 * Writes a stream's frames through its output stream's {@code write(ByteBuffer)} where the container has one
 * (Servlet 6.1 adds it; Jetty 12's output stream has it already), else through {@code write(byte[])}. On Jetty a small
 * {@code write(byte[])} is first copied into a pooled buffer that the response then holds until it completes, for a
 * stream its whole life: 4 KiB of direct memory per stream, and in a profile at 19,000 streams a tenth of the CPU went
 * to searching the buffer pool for each write's chunk header. {@code write(ByteBuffer)} sends the frame as it is; the
 * frame is never changed after it was encoded, so the container may send from it later.
 *
 * <p>Jetty's {@code write(ByteBuffer)} also sends at once, never aggregating, so a flush after it would only push an
 * empty write through Jetty's whole send path; {@link #sendsAtOnce()} tells the writer to skip it. Elsewhere (Tomcat
 * copies into its response buffer) the flush stays.
 */
final class FrameWriter {

    private static final MethodType WRITE_BUFFER = MethodType.methodType(void.class, ByteBuffer.class);
    // Per output stream class: its public write(ByteBuffer), typed (ServletOutputStream, ByteBuffer), or null.
    private static final ClassValue<MethodHandle> BUFFER_WRITES = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            try {
                return MethodHandles.publicLookup().findVirtual(type, "write", WRITE_BUFFER)
                        .asType(MethodType.methodType(void.class, ServletOutputStream.class, ByteBuffer.class));
            } catch (NoSuchMethodException | IllegalAccessException none) {
                return null;
            }
        }
    };

    private final ServletOutputStream out;
    private final MethodHandle writeBuffer;
    private final boolean sendsAtOnce;

    FrameWriter(ServletOutputStream out) {
        this.out = out;
        this.writeBuffer = BUFFER_WRITES.get(out.getClass());
        this.sendsAtOnce = writeBuffer != null && out.getClass().getName().startsWith("org.eclipse.jetty.");
    }

    /** Whether frames go out through {@code write(ByteBuffer)}. */
    boolean writesBuffers() {
        return writeBuffer != null;
    }

    /** Whether a written frame is on its way without a flush. */
    boolean sendsAtOnce() {
        return sendsAtOnce;
    }

    void write(byte[] frame) throws IOException {
        if (writeBuffer == null) {
            out.write(frame);
            return;
        }
        try {
            writeBuffer.invokeExact(out, ByteBuffer.wrap(frame));
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable impossible) {
            throw new IOException(impossible); // write(ByteBuffer) declares nothing else
        }
    }
}
