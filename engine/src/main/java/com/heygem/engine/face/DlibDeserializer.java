package com.heygem.engine.face;

import java.nio.ByteBuffer;

/**
 * Reads dlib's portable serialisation format (dlib/serialize.h) from a buffer.
 *
 * <p>Every integer, whatever its C++ type, is one control byte (low nibble: the number of
 * magnitude bytes that follow, high bit: negative) and then the magnitude, least significant
 * byte first. A float is two such integers, a mantissa and a power-of-two exponent, so files
 * written on any machine read the same everywhere.
 */
final class DlibDeserializer {
    private static final int EXP_INF = 32000;
    private static final int EXP_NEG_INF = 32001;
    private static final int EXP_NAN = 32002;

    private final ByteBuffer in;

    DlibDeserializer(ByteBuffer in) {
        this.in = in;
    }

    long readLong() {
        int control = in.get() & 0xFF;
        int size = control & 0x0F;
        if (size > 8 || (control & 0x70) != 0) {
            throw new IllegalStateException("bad integer control byte 0x" + Integer.toHexString(control)
                    + " at offset " + (in.position() - 1));
        }
        long value = 0;
        for (int i = 0; i < size; i++) {
            value |= (long) (in.get() & 0xFF) << (8 * i);
        }
        return (control & 0x80) != 0 ? -value : value;
    }

    int readInt() {
        long v = readLong();
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalStateException("integer out of range: " + v + " at offset " + in.position());
        }
        return (int) v;
    }

    /** A size or index: never negative, and small enough to allocate. */
    int readCount(int max) {
        long v = readLong();
        if (v < 0 || v > max) {
            throw new IllegalStateException("count " + v + " outside 0.." + max + " at offset " + in.position());
        }
        return (int) v;
    }

    float readFloat() {
        long mantissa = readLong();
        int exponent = (int) readLong();
        if (exponent < EXP_INF) {
            return Math.scalb((float) mantissa, exponent);
        }
        switch (exponent) {
            case EXP_INF:
                return Float.POSITIVE_INFINITY;
            case EXP_NEG_INF:
                return Float.NEGATIVE_INFINITY;
            case EXP_NAN:
                return Float.NaN;
            default:
                throw new IllegalStateException("bad float exponent " + exponent + " at offset " + in.position());
        }
    }

    /**
     * A column vector {@code matrix<float,0,1>}: rows and columns (negated by newer dlib
     * versions, which marks the row-major layout), then the values.
     */
    float[] readColumnVector(int maxRows) {
        long rows = Math.abs(readLong());
        long cols = Math.abs(readLong());
        if (cols != 1 || rows > maxRows) {
            throw new IllegalStateException("expected a column vector of at most " + maxRows
                    + " rows, found " + rows + "x" + cols);
        }
        float[] v = new float[(int) rows];
        for (int i = 0; i < v.length; i++) {
            v[i] = readFloat();
        }
        return v;
    }

    /** Like {@link #readColumnVector} but into {@code dst} at {@code offset}; the length must match. */
    void readColumnVectorInto(float[] dst, int offset, int expectedRows) {
        long rows = Math.abs(readLong());
        long cols = Math.abs(readLong());
        if (cols != 1 || rows != expectedRows) {
            throw new IllegalStateException("expected a column vector of " + expectedRows
                    + " rows, found " + rows + "x" + cols);
        }
        for (int i = 0; i < expectedRows; i++) {
            dst[offset + i] = readFloat();
        }
    }

    boolean atEnd() {
        return !in.hasRemaining();
    }

    int position() {
        return in.position();
    }
}
