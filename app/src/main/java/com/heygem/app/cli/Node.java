package com.heygem.app.cli;

import com.heygem.app.config.Config;
import com.heygem.app.config.Setting;
import com.heygem.app.jobs.BatchQueue;
import com.heygem.app.jobs.RenderItemRunner;
import com.heygem.app.jobs.WorkerRegistry;
import com.heygem.app.store.AuditLog;
import com.heygem.app.store.BatchStore;
import com.heygem.app.store.Database;
import com.heygem.app.store.Retention;
import com.heygem.app.store.ServerLogs;
import com.heygem.app.store.SpareRoom;
import com.heygem.app.store.StorageGuard;
import com.heygem.engine.face.LandmarkModelFile;
import com.heygem.engine.media.EncoderSettings;
import com.heygem.engine.media.LoopMode;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.render.LipSyncRenderer;
import com.heygem.engine.template.TemplateAnalyzer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every HeyGem process that works on the queue builds from its settings: the log, the
 * database, the analyser and renderer, and the queue with this node's registration when it
 * renders. {@code serve} adds the web server on top; {@code worker} is this alone.
 */
final class Node implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    final Config settings;
    final Path dataDir;
    final String name;
    final int workers;
    final Duration heartbeat;
    final Database database;
    final BatchStore store;
    final TemplateAnalyzer analyzer;
    final EncoderSettings encoder;
    final Retention retention;
    final BatchQueue queue;
    final StorageGuard storage;
    private final ServerLogs logs;

    private Node(Config settings, String logName, int workers) throws IOException {
        this.settings = settings;
        this.dataDir = settings.path(Setting.DATA_DIR);
        this.workers = workers;
        this.name = settings.text(Setting.NODE_NAME).isEmpty() ? hostName() : settings.text(Setting.NODE_NAME);
        this.heartbeat = Duration.ofSeconds(settings.integer(Setting.WORKER_HEARTBEAT));
        if (workers > 0) {
            LandmarkModelFile.require(settings.path(Setting.MODEL_PATH));
        }
        Files.createDirectories(dataDir);
        keepPrivate(dataDir);
        this.storage = new StorageGuard(dataDir, settings.bytes(Setting.STORAGE_RESERVE));
        this.logs = ServerLogs.install(dataDir, logName.replace("{node}", name.replaceAll("[^A-Za-z0-9._-]", "_")));
        LOG.info("HeyGem {} ({}) settings:", version(), name);
        for (String line : settings.describe()) {
            LOG.info("  {}", line);
        }
        try {
            this.database = Database.open(settings, storage::databaseRanOut);
        } catch (RuntimeException e) {
            logs.close(); // this process cannot run: leave the log files to the one that can
            throw e;
        }
        if (database.isEmbedded() && storage.reserve() > 0) {
            storage.keep(SpareRoom.forDatabase(dataDir, storage.reserve()));
        }
        this.store = new BatchStore(database.dataSource());
        this.analyzer = new TemplateAnalyzer(new TemplateAnalyzer.Settings(settings.path(Setting.MODEL_PATH), dataDir,
                MediaLimits.DEFAULT, TemplateAnalyzer.Settings.DEFAULT_MIN_FACE_SIDE,
                settings.bytes(Setting.MOUTH_CROP_CACHE)));
        this.encoder = EncoderSettings.DEFAULT.withPreset(settings.text(Setting.ENCODER_PRESET))
                .withCrf(settings.integer(Setting.ENCODER_CRF));
        LipSyncRenderer renderer = new LipSyncRenderer(new LipSyncRenderer.Settings(encoder, MediaLimits.DEFAULT,
                dataDir.resolve("tmp"), LipSyncRenderer.Settings.DEFAULT_LEAD_SECONDS, LoopMode.PING_PONG));
        this.retention = new Retention(database.dataSource(), dataDir);
        int days = settings.integer(Setting.RETENTION_DAYS);
        long quota = settings.bytes(Setting.RETENTION_MAX);
        WorkerRegistry registry = workers > 0 ? WorkerRegistry.register(database.dataSource(), name, hostName(), workers,
                version(), heartbeat) : null;
        this.queue = new BatchQueue(database.dataSource(), store, new RenderItemRunner(dataDir, store, analyzer, renderer,
                settings.number(Setting.ITEM_TIMEOUT_FACTOR), settings.integer(Setting.ITEM_MIN_TIMEOUT)), workers,
                heartbeat, () -> {
                    new AuditLog(database.dataSource()).purge(Instant.now().minus(AuditLog.KEEP));
                    long freed = retention.apply(retention.plan(Instant.now(), days, quota));
                    if (freed > 0) {
                        LOG.info("clean-up freed {} MiB", freed >> 20);
                    }
                }, new BatchQueue.Node(name, registry, Duration.ofSeconds(settings.integer(Setting.WORKER_STOP_GRACE)),
                        storage));
        LOG.info("queue ready: {}", workers > 0 ? workers + " render(s) at a time on this node" : "this node does not render");
    }

    /**
     * @param logName the server log's name; {@code {node}} stands for the node's name
     * @param workers renders at a time here (0: none)
     */
    static Node start(Config settings, String logName, int workers) throws IOException {
        return new Node(settings, logName, workers);
    }

    /**
     * Makes the data directory readable by this account only (0700): it holds the database
     * (password hashes, webhook addresses), the token, uploads, results and logs, and files
     * inside it are created with the process' umask (often 0644). Nothing under it can then be
     * read by another account of the machine, from the first start on.
     */
    static void keepPrivate(Path dir) {
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> now = Files.getPosixFilePermissions(dir);
            java.util.Set<java.nio.file.attribute.PosixFilePermission> own =
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------");
            if (!now.equals(own)) {
                Files.setPosixFilePermissions(dir, own);
                LOG.info("the data directory {} is now readable by this account only (it was {})", dir,
                        java.nio.file.attribute.PosixFilePermissions.toString(now));
            }
        } catch (UnsupportedOperationException e) {
            LOG.warn("the data directory {} is not on a POSIX file system: make sure only HeyGem's account can read it", dir);
        } catch (IOException e) {
            LOG.warn("could not make the data directory {} private ({}): make sure only HeyGem's account can read it", dir,
                    e.toString());
        }
    }

    static String version() {
        return new VersionProvider().getVersion()[0];
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** Stops the queue gracefully (the current item finishes within the grace, or goes back), then the rest. */
    @Override
    public void close() {
        LOG.info("stopping: no new items; the current one may finish within {} s",
                settings.integer(Setting.WORKER_STOP_GRACE));
        queue.close();
        database.close();
        storage.close();
        LOG.info("stopped");
        logs.close();
    }
}
