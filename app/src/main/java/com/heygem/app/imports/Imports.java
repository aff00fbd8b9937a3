package com.heygem.app.imports;

import com.heygem.app.accounts.FairQueue;
import com.heygem.app.store.BatchStore;
import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.source.SourceAddress;
import com.heygem.engine.source.SourceInput;
import com.heygem.engine.source.StreamPull;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Media pulled from addresses into the library, like uploads that the server fetches itself:
 * each import is checked against the {@link AddressPolicy} before it starts, pulled by
 * {@link StreamPull} through a {@link CheckingProxy}, then taken in as an asset. Two run at a
 * time; the rest wait. Imports are kept in memory for an hour after they end (an import still
 * running when the server stops is lost, as an upload in flight is; the page says so).
 */
public final class Imports implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Imports.class);
    private static final Duration KEPT = Duration.ofHours(1);

    /** Takes a pulled file in as an asset of {@code owner} (what an upload goes through). */
    public interface Intake {
        BatchStore.Asset store(InputStream content, String name, String owner) throws IOException;
    }

    /** Settings of imports: {@code import.allowHosts}, {@code import.maxSeconds}, {@code import.stallSeconds}. */
    public record Limits(AddressPolicy policy, double maxSeconds, long maxBytes, Duration stall) {
    }

    /** CANCELED: stopped before it began. */
    public enum State { QUEUED, RUNNING, DONE, FAILED, CANCELED }

    /** One import; its fields change as it runs (read them as a snapshot). */
    public static final class Import {
        private final String id;
        private final SourceAddress source;
        private final double seconds;
        private final Instant created = Instant.now();
        private volatile State state = State.QUEUED;
        private volatile double pulledSeconds;
        private volatile long pulledBytes;
        private volatile boolean stop;
        private volatile boolean cut;
        private volatile BatchStore.Asset asset;
        private volatile HeyGemException error;
        private volatile Instant ended;

        private final String owner;
        private FairQueue.Ticket ticket;
        private Consumer<Import> onEnd;

        Import(String id, SourceAddress source, double seconds, String owner) {
            this.id = id;
            this.source = source;
            this.seconds = seconds;
            this.owner = owner;
        }

        /** The account that asked for it, or null. */
        public String owner() {
            return owner;
        }

        public String id() {
            return id;
        }

        public SourceAddress source() {
            return source;
        }

        /** The duration asked for (a live stream is recorded this long at most). */
        public double seconds() {
            return seconds;
        }

        public State state() {
            return state;
        }

        public double pulledSeconds() {
            return pulledSeconds;
        }

        public long pulledBytes() {
            return pulledBytes;
        }

        /** Whether it ended by a stop or at its duration rather than at the source's end. */
        public boolean cut() {
            return cut;
        }

        public boolean stopAsked() {
            return stop;
        }

        public BatchStore.Asset asset() {
            return asset;
        }

        public HeyGemException error() {
            return error;
        }

        public Instant created() {
            return created;
        }
    }

    private final Path workDir;
    private final Limits limits;
    private final Intake intake;
    private final Map<String, Import> imports = new ConcurrentHashMap<>();
    /**
     * Pulls wait for their account's turn: 4 at once in all, 2 of one account at once, 10 of one
     * account waiting or running. A pull mostly waits on the network (FFmpeg copies, never encodes).
     */
    private final FairQueue queue = new FairQueue("imports", 4, 2, 10);

    /** @param workDir where pulls are written before they are taken in (emptied at start) */
    public Imports(Path workDir, Limits limits, Intake intake) throws IOException {
        this.workDir = workDir;
        this.limits = limits;
        this.intake = intake;
        Files.createDirectories(workDir);
        try (var old = Files.list(workDir)) {
            for (Path p : (Iterable<Path>) old::iterator) {
                Files.deleteIfExists(p); // left by a server that stopped mid-pull
            }
        }
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Checks the address and starts pulling it for the account {@code owner}, whose upload it becomes.
     *
     * @param seconds how long to record at most (live streams), or 0 for the server's cap
     * @param onEnd   told once the import has ended, whichever way (on the import's thread)
     * @throws HeyGemException SOURCE_UNSUPPORTED at once (a refused or unreachable host fails the import)
     * @throws FairQueue.Full when the account already has as many imports waiting or running as it may
     */
    public Import start(String url, double seconds, String owner, Consumer<Import> onEnd) {
        // The host is checked when the pull starts, as it connects: a refused host then fails like
        // one that does not answer, with the same words (a refusal here would tell them apart).
        SourceAddress src = SourceAddress.parse(url);
        if (!(seconds >= 0) || seconds > limits.maxSeconds()) {
            throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, "seconds", seconds + " (0 to " + (long) limits.maxSeconds()
                    + ", setting import.maxSeconds)");
        }
        forgetOld();
        Import imp = new Import("imp_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20), src,
                seconds > 0 ? seconds : limits.maxSeconds(), owner);
        imp.onEnd = onEnd;
        synchronized (imp) { // stop() reads the ticket
            imp.ticket = queue.submit(owner == null ? "" : owner, () -> run(imp));
        }
        imports.put(imp.id, imp);
        LOG.info("import {} of {} queued", imp.id, src.shown());
        return imp;
    }

    public Optional<Import> get(String id) {
        return Optional.ofNullable(imports.get(id));
    }

    /** Ends a running import, keeping what was pulled so far; a queued one never starts and ends now. */
    public void stop(Import imp) {
        imp.stop = true;
        boolean never;
        synchronized (imp) {
            never = imp.ticket != null && imp.ticket.cancel();
        }
        if (never) {
            imp.state = State.CANCELED;
            imp.ended = Instant.now();
            LOG.info("import {} stopped before it began", imp.id);
            if (imp.onEnd != null) {
                imp.onEnd.accept(imp);
            }
        }
    }

    /** The imports of the last hour, newest first. */
    public List<Import> recent() {
        forgetOld();
        List<Import> out = new ArrayList<>(imports.values());
        out.sort(Comparator.comparing(Import::created).reversed());
        return out;
    }

    private void forgetOld() {
        Instant before = Instant.now().minus(KEPT);
        imports.values().removeIf(i -> i.ended != null && i.ended.isBefore(before));
    }

    /**
     * How FFmpeg opens {@code src} for the server: HTTP(S) through {@code proxy}, which checks
     * every request; RTMP at the address the policy checked (FFmpeg would read the host its own way).
     *
     * @throws HeyGemException SOURCE_UNREACHABLE when an RTMP host is refused or not known
     */
    public static SourceInput input(SourceAddress src, AddressPolicy policy, CheckingProxy proxy) {
        return src.isHttp() ? SourceInput.of(src, null, proxy.url())
                : SourceInput.of(src, policy.check(src).getAddress(), null);
    }

    private void run(Import imp) {
        Path file = workDir.resolve(imp.id + ".mkv");
        try {
            if (imp.stop) {
                imp.state = State.CANCELED;
                return;
            }
            imp.state = State.RUNNING;
            LOG.info("import {}: pulling {}", imp.id, imp.source.shown());
            StreamPull.Result r;
            try (CheckingProxy proxy = new CheckingProxy(limits.policy(), imp.source.shown())) {
                try {
                    r = StreamPull.pull(imp.source, input(imp.source, limits.policy(), proxy), file,
                            new StreamPull.Options(imp.seconds, limits.maxBytes(), limits.stall()), (s, b) -> {
                                imp.pulledSeconds = s;
                                imp.pulledBytes = b;
                            }, () -> imp.stop);
                } catch (HeyGemException e) {
                    // A host refused or unreachable behind the proxy: say that, not the 403/502 FFmpeg saw.
                    throw proxy.failure() != null ? proxy.failure() : e;
                }
            }
            imp.pulledSeconds = r.seconds();
            imp.pulledBytes = r.bytes();
            imp.cut = r.cut();
            String name = imp.source.fileName() + (hasVideo(file) ? ".mkv" : ".mka");
            try (InputStream in = Files.newInputStream(file)) {
                imp.asset = intake.store(in, name, imp.owner);
            }
            imp.state = State.DONE;
            LOG.info("import {}: {} s, {} bytes from {} kept as {}{}", imp.id, Math.round(r.seconds()), r.bytes(),
                    imp.source.shown(), name, r.cut() ? " (cut: stopped or at its duration)" : "");
        } catch (HeyGemException e) {
            imp.error = e;
            imp.state = State.FAILED;
            LOG.info("import {} of {} failed: {}", imp.id, imp.source.shown(), e.messageEn());
        } catch (IOException | RuntimeException e) {
            imp.error = new HeyGemException(ErrorCode.SOURCE_UNREACHABLE, e, imp.source.shown(), String.valueOf(e.getMessage()));
            imp.state = State.FAILED;
            LOG.warn("import {} of {} failed", imp.id, imp.source.shown(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            imp.error = new HeyGemException(ErrorCode.SOURCE_STALLED, imp.source.shown(), 0);
            imp.state = State.FAILED;
        } finally {
            imp.ended = Instant.now();
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("could not delete {}", file, e);
            }
            if (imp.onEnd != null) {
                try {
                    imp.onEnd.accept(imp);
                } catch (RuntimeException e) {
                    LOG.warn("after import {}", imp.id, e);
                }
            }
        }
    }

    private static boolean hasVideo(Path file) {
        try {
            return com.heygem.engine.media.MediaProbe.probe(file, com.heygem.engine.media.MediaLimits.DEFAULT).video().isPresent();
        } catch (HeyGemException e) {
            return false; // the intake's own probe says what is wrong with it
        }
    }

    @Override
    public void close() {
        for (Import i : imports.values()) {
            i.stop = true;
        }
        queue.close();
    }
}
