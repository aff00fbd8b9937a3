package com.heygem.app.live;

import com.heygem.app.imports.AddressPolicy;
import com.heygem.app.imports.CheckingProxy;
import com.heygem.app.imports.Imports;
import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.media.EncoderSettings;
import com.heygem.engine.media.LiveWriter;
import com.heygem.engine.media.LoopMode;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.render.LipSyncRenderer;
import com.heygem.engine.render.LiveRenderer;
import com.heygem.engine.render.LiveSession;
import com.heygem.engine.source.LiveSound;
import com.heygem.engine.source.SourceAddress;
import com.heygem.engine.template.TemplateAnalyzer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live streams run by the server: a live sound (an address) lip-synced onto a template from the
 * library, written as HLS into {@code <data>/live/<id>/} (served to the page) and, when asked,
 * recorded to {@code recording.mp4} beside it. One at a time (it takes the machine's cores in
 * real time; batches go on beside it, slower). Streams live in memory: after a restart the
 * folders stay, the streams are not resumed (the sound they followed is gone by then).
 */
public final class LiveStreams implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveStreams.class);

    public enum State { STARTING, LIVE, ENDED, FAILED }

    /** One stream; read its fields as a snapshot. */
    public static final class Stream {
        private final String id;
        private final SourceAddress source;
        private final String templateId;
        private final String templateName;
        private final double latency;
        private final boolean record;
        private final Path dir;
        private final Instant started = Instant.now();
        private volatile State state = State.STARTING;
        private volatile LiveSession.Stats stats;
        private volatile double fps;
        private volatile HeyGemException error;
        private volatile boolean stop;

        Stream(String id, SourceAddress source, String templateId, String templateName, double latency, boolean record,
                Path dir) {
            this.id = id;
            this.source = source;
            this.templateId = templateId;
            this.templateName = templateName;
            this.latency = latency;
            this.record = record;
            this.dir = dir;
        }

        public String id() {
            return id;
        }

        public SourceAddress source() {
            return source;
        }

        public String templateId() {
            return templateId;
        }

        public String templateName() {
            return templateName;
        }

        public double latency() {
            return latency;
        }

        public boolean record() {
            return record;
        }

        public Path dir() {
            return dir;
        }

        public Instant started() {
            return started;
        }

        public State state() {
            return state;
        }

        /** Null until the first block is out. */
        public LiveSession.Stats stats() {
            return stats;
        }

        public double fps() {
            return fps;
        }

        public HeyGemException error() {
            return error;
        }

        public boolean stopAsked() {
            return stop;
        }
    }

    private final Path root;
    private final TemplateAnalyzer analyzer;
    private final AddressPolicy policy;
    private final EncoderSettings encoder;
    private final double maxSeconds;
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();

    /**
     * @param maxSeconds the longest stream (setting import.maxSeconds): it ends there
     */
    public LiveStreams(Path dataDir, TemplateAnalyzer analyzer, AddressPolicy policy, EncoderSettings encoder,
            double maxSeconds) {
        this.root = dataDir.resolve("live");
        this.analyzer = analyzer;
        this.policy = policy;
        this.encoder = encoder.withCrf(Math.max(encoder.crf(), 23)); // a stream's bit rate, not an archive's
        this.maxSeconds = maxSeconds;
    }

    /**
     * Checks the address and starts the stream.
     *
     * @param template the template file, {@code templateName} as the user knows it
     * @throws HeyGemException SOURCE_UNSUPPORTED, or INVALID_ARGUMENT
     *                         for a latency out of range
     */
    public synchronized Stream start(String url, String templateId, String templateName, Path template, double latency,
            boolean record) throws IOException {
        // The host is checked as the stream connects: refused, it fails like a source that does not answer.
        SourceAddress src = SourceAddress.parse(url);
        LiveSession.checkLatency(latency, "latency");
        if (running().isPresent()) {
            throw new IllegalStateException("a live stream is running"); // the routes check first and say so
        }
        String id = "live_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        Path dir = Files.createDirectories(root.resolve(id));
        Stream s = new Stream(id, src, templateId, templateName, latency, record, dir);
        streams.put(id, s);
        Thread t = new Thread(() -> run(s, template), "live-" + id);
        t.setDaemon(true);
        t.start();
        return s;
    }

    private void run(Stream s, Path template) {
        LOG.info("live stream {}: {} speaks {}", s.id, s.templateName, s.source.shown());
        try {
            TemplateAnalyzer.Result analysed = analyzer.analyze(template, f -> { }, () -> s.stop);
            LipSyncRenderer.Settings settings = new LipSyncRenderer.Settings(encoder, MediaLimits.DEFAULT,
                    s.dir.resolve("tmp"), LipSyncRenderer.Settings.DEFAULT_LEAD_SECONDS, LoopMode.PING_PONG);
            try (CheckingProxy proxy = new CheckingProxy(policy, s.source.shown());
                    LiveRenderer renderer = new LiveRenderer(analysed.profile(), template,
                            new LipSyncRenderer(settings).templateSpeech(analysed.profile(), template), settings);
                    LiveSound sound = new LiveSound(Imports.input(s.source, policy, proxy), 30);
                    LiveWriter writer = new LiveWriter(s.dir.toString(), s.record ? s.dir.resolve("recording.mp4") : null,
                            renderer.width(), renderer.height(), renderer.fps(), encoder)) {
                s.fps = renderer.fps();
                s.state = State.LIVE;
                LiveSession session = new LiveSession(renderer, sound, writer, s.latency);
                s.stats = session.run(maxSeconds, () -> s.stop, 1, st -> s.stats = st);
                if (s.stats.frames() == 0 && proxy.failure() != null) {
                    throw proxy.failure();
                }
                if (s.stats.frames() == 0) {
                    throw new HeyGemException(ErrorCode.SOURCE_UNREACHABLE, s.source.shown(), "no sound came");
                }
            }
            s.state = State.ENDED;
            LOG.info("live stream {} ended: {} frames, latency median {} s", s.id, s.stats.frames(),
                    Math.round(s.stats.latencyMedian() * 100) / 100.0);
        } catch (HeyGemException e) {
            s.error = e;
            s.state = State.FAILED;
            LOG.info("live stream {} failed: {}", s.id, e.messageEn());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.state = State.ENDED;
        } catch (IOException | RuntimeException e) {
            s.error = new HeyGemException(ErrorCode.WRITE_FAILED, e, s.dir.getFileName(), String.valueOf(e.getMessage()));
            s.state = State.FAILED;
            LOG.warn("live stream {} failed", s.id, e);
        } finally {
            deleteQuietly(s.dir.resolve("tmp"));
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // left for the clean-up
        }
    }

    /** The stream starting or live now, if any (one at a time). */
    public Optional<Stream> running() {
        return streams.values().stream().filter(s -> s.state == State.STARTING || s.state == State.LIVE).findFirst();
    }

    public Optional<Stream> get(String id) {
        return Optional.ofNullable(streams.get(id));
    }

    public void stop(Stream s) {
        s.stop = true;
    }

    /** Newest first. */
    public List<Stream> all() {
        List<Stream> out = new ArrayList<>(streams.values());
        out.sort(Comparator.comparing(Stream::started).reversed());
        return out;
    }

    @Override
    public void close() {
        for (Stream s : streams.values()) {
            s.stop = true;
        }
    }
}
