package com.heygem.app.cli;

import com.heygem.app.config.Config;
import com.heygem.app.config.Setting;
import com.heygem.app.jobs.BatchQueue;
import com.heygem.app.jobs.RenderItemRunner;
import com.heygem.app.store.BatchStore;
import com.heygem.app.store.Database;
import com.heygem.app.store.Retention;
import com.heygem.app.store.ServerLogs;
import com.heygem.app.web.AccessToken;
import com.heygem.app.web.ApiServer;
import com.heygem.app.web.Services;
import com.heygem.engine.media.EncoderSettings;
import com.heygem.engine.media.LoopMode;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.render.LipSyncRenderer;
import com.heygem.engine.template.TemplateAnalyzer;
import com.heygem.engine.face.LandmarkModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code heygem serve}: the server. For now it checks its prerequisites and answers the health
 * endpoint; the web UI and API are built on this entry point.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the HeyGem server (web UI and API).")
final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (env HEYGEM_CONFIG). Default: heygem.properties in the working directory, when it exists.")
    Path config;

    @Option(names = "--port", description = "HTTP port, setting server.port (env HEYGEM_PORT). Default: 7860.")
    Integer port;

    @Option(names = "--bind", description = "Address to listen on, setting server.bind (env HEYGEM_BIND). Default: 0.0.0.0.")
    String bind;

    @Option(names = "--data-dir", description = "Data directory, setting data.dir (env HEYGEM_DATA_DIR). Default: data.")
    Path dataDir;

    @Option(names = "--model-path",
            description = "dlib 68-point landmark model, setting face.modelPath (env HEYGEM_MODEL_PATH).")
    Path modelPath;

    @Option(names = "--workers", description = "Renders at a time here, setting workers.count (env HEYGEM_WORKERS); 0 serves only. Default: 1.")
    Integer workers;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Config settings = Config.load(configFile(), System.getenv(), flags());
        LandmarkModelFile.require(settings.path(Setting.MODEL_PATH));
        Path dataDir = settings.path(Setting.DATA_DIR);
        String bind = settings.text(Setting.SERVER_BIND);
        int port = settings.integer(Setting.SERVER_PORT);
        Files.createDirectories(dataDir);
        ServerLogs logs = ServerLogs.install(dataDir);
        LOG.info("HeyGem {} settings:", new VersionProvider().getVersion()[0]);
        for (String line : settings.describe()) {
            LOG.info("  {}", line);
        }
        Database database = Database.open(settings);
        BatchStore store = new BatchStore(database.dataSource());
        TemplateAnalyzer analyzer = new TemplateAnalyzer(new TemplateAnalyzer.Settings(settings.path(Setting.MODEL_PATH),
                dataDir, MediaLimits.DEFAULT, TemplateAnalyzer.Settings.DEFAULT_MIN_FACE_SIDE,
                settings.bytes(Setting.MOUTH_CROP_CACHE)));
        EncoderSettings encoder = EncoderSettings.DEFAULT.withPreset(settings.text(Setting.ENCODER_PRESET))
                .withCrf(settings.integer(Setting.ENCODER_CRF));
        LipSyncRenderer renderer = new LipSyncRenderer(new LipSyncRenderer.Settings(encoder, MediaLimits.DEFAULT,
                dataDir.resolve("tmp"), LipSyncRenderer.Settings.DEFAULT_LEAD_SECONDS, LoopMode.PING_PONG));
        int workers = settings.integer(Setting.WORKERS);
        Retention retention = new Retention(database.dataSource(), dataDir);
        int retentionDays = settings.integer(Setting.RETENTION_DAYS);
        long retentionBytes = settings.bytes(Setting.RETENTION_MAX);
        BatchQueue queue = new BatchQueue(database.dataSource(), store, new RenderItemRunner(dataDir, store, analyzer,
                renderer, settings.number(Setting.ITEM_TIMEOUT_FACTOR), settings.integer(Setting.ITEM_MIN_TIMEOUT)),
                workers, BatchQueue.DEFAULT_HEARTBEAT, () -> {
                    long freed = retention.apply(retention.plan(java.time.Instant.now(), retentionDays, retentionBytes));
                    if (freed > 0) {
                        LOG.info("clean-up freed {} MiB", freed >> 20);
                    }
                });
        LOG.info("queue ready: {} worker(s) on this machine", workers);
        AccessToken token = AccessToken.load(dataDir);
        Path easyInput = settings.text(Setting.EASY_INPUT_DIR).isEmpty() ? dataDir.resolve("input")
                : settings.path(Setting.EASY_INPUT_DIR);
        Files.createDirectories(easyInput);
        ApiServer api = new ApiServer(new Services(dataDir, store, queue, token, settings.flag(Setting.AUTH),
                settings.bytes(Setting.UPLOAD_MAX), new VersionProvider().getVersion()[0], retention, retentionDays,
                retentionBytes, analyzer, easyInput, encoder)).start(bind, port);
        String host = bind.equals("0.0.0.0") || bind.equals("::") ? hostName() : bind;
        LOG.info("HeyGem is ready: open http://{}:{}/{} (data directory {}; API token in {})", host, api.port(),
                settings.flag(Setting.AUTH) ? "?token=" + token.value() : "", dataDir.toAbsolutePath(),
                dataDir.resolve("token").toAbsolutePath());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            api.close();
            // A running item is interrupted here and runs again from the start at the next start.
            queue.close();
            database.close();
            logs.close();
            stopped.countDown();
        }, "heygem-shutdown"));
        stopped.await();
        return ExitCodes.OK;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    /** The named file, else HEYGEM_CONFIG, else ./heygem.properties when present, else none. */
    private Path configFile() {
        if (config != null) {
            return config;
        }
        String env = System.getenv("HEYGEM_CONFIG");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path local = Path.of(Config.DEFAULT_FILE);
        return Files.isRegularFile(local) ? local : null;
    }

    private Map<Setting, String> flags() {
        Map<Setting, String> m = new EnumMap<>(Setting.class);
        if (port != null) {
            m.put(Setting.SERVER_PORT, port.toString());
        }
        if (bind != null) {
            m.put(Setting.SERVER_BIND, bind);
        }
        if (dataDir != null) {
            m.put(Setting.DATA_DIR, dataDir.toString());
        }
        if (modelPath != null) {
            m.put(Setting.MODEL_PATH, modelPath.toString());
        }
        if (workers != null) {
            m.put(Setting.WORKERS, workers.toString());
        }
        return m;
    }
}
