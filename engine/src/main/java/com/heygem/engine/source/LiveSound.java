package com.heygem.engine.source;

import com.heygem.engine.media.AudioReader;
import com.heygem.engine.media.Ffmpeg;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The sound of a live source as it arrives: FFmpeg decodes the address (or a file, read at its
 * own pace as if it were live) to 48 kHz mono, and this keeps the last {@link #KEPT_SECONDS} of
 * it twice: as it came (for the output) and at 16 kHz (for the speech analysis), with the moment
 * each piece arrived (for the latency). Sample {@code i} is at {@code i / 48000} seconds of the
 * output's time line.
 *
 * <p>A source that stalls is bridged: {@link #awaitOrBridge} fills the time line with silence up to
 * where the output needs it. Sound the source then delivers in a burst (held back during the
 * stall) is dropped up to the length of the bridge, so the output stays on time; sound that
 * simply goes on at the clock's pace is kept. A source that drops is reconnected (for {@code reconnectSeconds}); one that
 * ends, ends.
 */
public final class LiveSound implements AutoCloseable {
    public static final int RATE = AudioReader.OUTPUT_RATE;
    public static final int ANALYSIS_RATE = AudioReader.ANALYSIS_RATE;
    static final int DECIMATE = RATE / ANALYSIS_RATE;
    /** Sound kept: the analysis window and the block being made, with room to spare. */
    public static final double KEPT_SECONDS = 20;
    /** How far ahead of the clock the time line may run before late sound counts as a burst (0.75 s). */
    static final long BURST = RATE * 3 / 4;
    /** Low-pass before keeping every third sample: 63-tap windowed sinc at 7.2 kHz. */
    private static final float[] LOW_PASS = lowPass(63, 7200.0 / RATE);

    private final String source;
    private final List<String> inputOptions;
    /** How a checked network source is opened, or null (a file, or an address given as it is). */
    private final SourceInput input;
    private final boolean file;
    private final double reconnectSeconds;
    private final float[] ring = new float[(int) (KEPT_SECONDS * RATE)];
    private final float[] ringAnalysis = new float[(int) (KEPT_SECONDS * ANALYSIS_RATE)];
    private final long[] arrivedAt = new long[(int) KEPT_SECONDS * 100]; // per 10 ms of sound
    private final float[] history = new float[LOW_PASS.length];
    private long written;
    private long owed;
    private long dropped;
    private long bridged;
    private int reconnects;
    private volatile boolean ended;
    private volatile boolean closed;
    private volatile String state = "connecting";
    private volatile Process process;
    private final Thread reader;
    private long firstArrival = -1;

    /**
     * @param source           an address, or a file path ({@code file} true: read at its own pace)
     * @param reconnectSeconds how long a dropped address is tried again before it counts as ended
     */
    public LiveSound(String source, boolean file, double reconnectSeconds) {
        this(source, file, reconnectSeconds, List.of());
    }

    /** @param inputOptions FFmpeg options for the input (a raw stream's format, say), before its address */
    public LiveSound(String source, boolean file, double reconnectSeconds, List<String> inputOptions) {
        this(source, file, reconnectSeconds, inputOptions, null);
    }

    /** A network source opened as {@code input} says (the checked address, its proxy, what FFmpeg may open). */
    public LiveSound(SourceInput input, double reconnectSeconds) {
        this(input.url(), false, reconnectSeconds, input.options(), input);
    }

    private LiveSound(String source, boolean file, double reconnectSeconds, List<String> inputOptions,
            SourceInput input) {
        this.inputOptions = List.copyOf(inputOptions);
        this.input = input;
        this.source = source;
        this.file = file;
        this.reconnectSeconds = reconnectSeconds;
        this.reader = new Thread(this::readLoop, "live-sound");
        reader.setDaemon(true);
        reader.start();
    }

    private void readLoop() {
        long lastConnected = System.nanoTime();
        while (!closed) {
            List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-loglevel", "error"));
            if (file) {
                args.add("-re");
            } else {
                // Start on the first packets rather than after seconds of probing (FFmpeg's default holds 5 s
                // back). Not -fflags nobuffer: it throws the probed packets, the first words, away.
                if (input == null) {
                    args.addAll(List.of("-protocol_whitelist", StreamPull.PROTOCOLS));
                }
                args.addAll(List.of("-rw_timeout", "5000000", "-probesize", "32768", "-analyzeduration", "300000"));
            }
            args.addAll(inputOptions);
            args.addAll(List.of("-i", source, "-vn", "-ac", "1", "-ar", Integer.toString(RATE), "-flush_packets", "1", "-f", "f32le", "pipe:1"));
            try {
                ProcessBuilder pb = Ffmpeg.process(Ffmpeg.executable(), args).redirectError(ProcessBuilder.Redirect.DISCARD);
                if (input != null) {
                    input.environment(pb.environment());
                }
                Process p = pb.start();
                process = p;
                boolean got = read(p.getInputStream());
                p.waitFor();
                if (got) {
                    lastConnected = System.nanoTime();
                }
            } catch (IOException e) {
                // reconnected below, or ended
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (file || closed || (System.nanoTime() - lastConnected) / 1e9 > reconnectSeconds) {
                break;
            }
            state = "reconnecting";
            reconnects++;
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                break;
            }
        }
        state = "ended";
        ended = true;
        synchronized (this) {
            notifyAll();
        }
    }

    /** @return whether any sound came */
    private boolean read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] bytes = new byte[4 * 480]; // 10 ms
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] chunk = new float[480];
        boolean got = false;
        while (!closed) {
            try {
                data.readFully(bytes);
            } catch (EOFException e) {
                return got;
            }
            le.clear();
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = le.getFloat();
            }
            got = true;
            state = "live";
            append(chunk, chunk.length);
        }
        return got;
    }

    private synchronized void append(float[] samples, int count) {
        long now = System.nanoTime();
        if (firstArrival < 0) {
            firstArrival = now;
        }
        // After a bridge, sound the source held back comes in a burst, ahead of the clock: as much of it
        // as the bridge stood in for is too late to be heard, and is dropped. Sound that comes at the
        // clock's pace is the source going on: it is kept (the bridge covered the gap).
        long ahead = written - (long) ((now - firstArrival) / 1e9 * RATE);
        for (int i = 0; i < count; i++) {
            if (owed > 0 && ahead > BURST) {
                owed--;
                dropped++;
                continue;
            }
            put(samples[i], now);
            ahead++;
        }
        notifyAll();
    }

    private void put(float v, long now) {
        ring[(int) (written % ring.length)] = v;
        System.arraycopy(history, 1, history, 0, history.length - 1);
        history[history.length - 1] = v;
        if (written % DECIMATE == 0) {
            float acc = 0;
            for (int k = 0; k < LOW_PASS.length; k++) {
                acc += LOW_PASS[k] * history[k];
            }
            ringAnalysis[(int) ((written / DECIMATE) % ringAnalysis.length)] = acc;
        }
        if (written % 480 == 0) {
            arrivedAt[(int) ((written / 480) % arrivedAt.length)] = now;
        }
        written++;
    }

    /** Samples on the time line so far (sound and bridges). */
    public synchronized long available() {
        return written;
    }

    /**
     * Waits until sample {@code needed} is on the time line, the source ended, or the wait passed
     * {@code deadlineNanos} (then the missing time is bridged with silence).
     *
     * @return false when the source ended before {@code needed}
     */
    public synchronized boolean awaitOrBridge(long needed, long deadlineNanos) throws InterruptedException {
        while (written < needed && !ended) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                bridgeTo(needed);
                return true;
            }
            wait(Math.max(1, left / 1_000_000), 0);
        }
        return written >= needed;
    }

    /** After the source ended: silence up to {@code needed}, so the last words' block can be made. */
    public synchronized void padEnd(long needed) {
        long now = System.nanoTime();
        while (written < needed) {
            put(0, now);
        }
    }

    /** Silence up to {@code needed}; as much sound arriving afterwards in a burst is dropped. */
    private void bridgeTo(long needed) {
        long now = System.nanoTime();
        long gap = needed - written;
        for (long i = 0; i < gap; i++) {
            put(0, now);
        }
        owed += gap;
        bridged += gap;
        state = ended ? "ended" : "stalled";
    }

    /** 48 kHz samples {@code from} .. {@code from + count} into {@code out} (still kept: the last 20 s). */
    public synchronized void copy(long from, int count, float[] out) {
        for (int i = 0; i < count; i++) {
            long k = from + i;
            out[i] = k < 0 || k >= written || written - k > ring.length ? 0 : ring[(int) (k % ring.length)];
        }
    }

    /** 16 kHz samples {@code from} .. {@code from + count} (analysis rate). */
    public synchronized void copyAnalysis(long from, int count, float[] out) {
        long have = written / DECIMATE;
        for (int i = 0; i < count; i++) {
            long k = from + i;
            out[i] = k < 0 || k >= have || have - k > ringAnalysis.length ? 0 : ringAnalysis[(int) (k % ringAnalysis.length)];
        }
    }

    /** When sample {@code i} arrived (System.nanoTime), to 10 ms. */
    public synchronized long arrivedAt(long i) {
        long slot = Math.max(0, Math.min(i, written - 1)) / 480;
        return arrivedAt[(int) (slot % arrivedAt.length)];
    }

    /** When the first sound arrived (System.nanoTime), or -1. */
    public synchronized long firstArrival() {
        return firstArrival;
    }

    public boolean ended() {
        return ended;
    }

    /** connecting, live, stalled, reconnecting or ended. */
    public String state() {
        return state;
    }

    public synchronized double bridgedSeconds() {
        return bridged / (double) RATE;
    }

    public synchronized double droppedSeconds() {
        return dropped / (double) RATE;
    }

    public int reconnects() {
        return reconnects;
    }

    private static float[] lowPass(int taps, double cutoff) {
        float[] h = new float[taps];
        double sum = 0;
        int mid = taps / 2;
        for (int i = 0; i < taps; i++) {
            int k = i - mid;
            double sinc = k == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * k) / (Math.PI * k);
            double w = 0.54 - 0.46 * Math.cos(2 * Math.PI * i / (taps - 1));
            h[i] = (float) (sinc * w);
            sum += h[i];
        }
        for (int i = 0; i < taps; i++) {
            h[i] /= (float) sum;
        }
        return h;
    }

    @Override
    public void close() {
        closed = true;
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
        reader.interrupt();
    }
}
