package com.heygem.app.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file sent whole or, for a {@code Range: bytes=…} request, in the one part asked for (206,
 * {@code Content-Range}); a range outside the file gets 416. This is what lets a video player
 * seek and a download resume. Several ranges in one request are answered with the whole file,
 * which RFC 9110 allows.
 */
record ByteRange(long from, long to) {
    private static final int BUFFER = 1 << 16;

    long length() {
        return to - from + 1;
    }

    /**
     * The range a header asks for in a file of {@code size} bytes: null for the whole file (no
     * header, or one this server ignores), or an empty range (from > to) when unsatisfiable.
     */
    static ByteRange parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            return null;
        }
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) { // the last N bytes
                long n = Long.parseLong(b);
                return n <= 0 || size == 0 ? new ByteRange(1, 0) : new ByteRange(Math.max(0, size - n), size - 1);
            }
            long from = Long.parseLong(a);
            long to = b.isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(b));
            if (from < 0 || from >= size || to < from) {
                return new ByteRange(1, 0);
            }
            return new ByteRange(from, to);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Answers {@code ctx} with {@code file} (or the part its Range header asks for). */
    static void send(Context ctx, Path file, String contentType) throws IOException {
        long size = Files.size(file);
        ByteRange range = parse(ctx.header("Range"), size);
        ctx.res().setHeader("Accept-Ranges", "bytes");
        ctx.res().setContentType(contentType);
        if (range != null && range.length() <= 0) {
            ctx.res().setStatus(416);
            ctx.res().setHeader("Content-Range", "bytes */" + size);
            return;
        }
        ByteRange part = range == null ? new ByteRange(0, size - 1) : range;
        if (range != null) {
            ctx.res().setStatus(206);
            ctx.res().setHeader("Content-Range", "bytes " + part.from() + "-" + part.to() + "/" + size);
        }
        ctx.res().setContentLengthLong(Math.max(0, part.length()));
        if ("HEAD".equals(ctx.method().name())) {
            return;
        }
        try (SeekableByteChannel ch = Files.newByteChannel(file); InputStream in = Channels.newInputStream(ch.position(part.from()))) {
            OutputStream out = ctx.res().getOutputStream();
            byte[] buffer = new byte[BUFFER];
            long left = part.length();
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    break; // the file shrank meanwhile; the client sees a short answer
                }
                out.write(buffer, 0, n);
                left -= n;
            }
        } catch (IOException e) {
            // The viewer closed the tab or seeked elsewhere: an aborted send is normal for video.
        }
    }
}
