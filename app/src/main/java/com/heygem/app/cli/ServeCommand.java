package com.heygem.app.cli;

import com.heygem.app.accounts.Account;
import com.heygem.app.accounts.Accounts;
import com.heygem.app.config.Config;
import com.heygem.app.config.Setting;
import com.heygem.app.imports.AddressPolicy;
import com.heygem.app.imports.Imports;
import com.heygem.app.web.AccessToken;
import com.heygem.app.web.ApiServer;
import com.heygem.app.web.Services;
import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.media.MediaLimits;
import io.javalin.util.JavalinBindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code heygem serve}: the web page and the API, with {@code workers.count} renders at a time on
 * this machine ({@code --workers 0}: a web-only node in front of {@code heygem worker} nodes).
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
        Config settings = Config.load(configFile(config), System.getenv(), flags());
        String bind = settings.text(Setting.SERVER_BIND);
        int port = settings.integer(Setting.SERVER_PORT);
        // First: a stop asked for while starting waits until the node is up, then stops it in order.
        StopSignal stop = StopSignal.install();
        // A broken token file is a clear error before anything starts, not an exit after the queue began;
        // nothing is written until the node is up (a start refused for a missing model leaves no data folder).
        AccessToken.check(settings.path(Setting.DATA_DIR));
        AddressPolicy importHosts = new AddressPolicy(settings.text(Setting.IMPORT_ALLOW_HOSTS)); // a bad list stops here
        Node node = Node.start(settings, "heygem", settings.integer(Setting.WORKERS));
        Path dataDir = node.dataDir;
        AccessToken token = AccessToken.load(dataDir);
        if (settings.integer(Setting.WORKERS) == 0 && node.database.isEmbedded()) {
            LOG.warn("workers.count is 0 and the database is the embedded one: nothing will render here, and no"
                    + " worker can share this database. Use --workers 1, or set db.url to a PostgreSQL database"
                    + " and start 'heygem worker' nodes (docs/deployment.md)");
        }
        Path easyInput = settings.text(Setting.EASY_INPUT_DIR).isEmpty() ? dataDir.resolve("input")
                : settings.path(Setting.EASY_INPUT_DIR);
        Files.createDirectories(easyInput);
        ApiServer api = new ApiServer(new Services(dataDir, node.store, node.queue, token, settings.flag(Setting.AUTH),
                settings.bytes(Setting.UPLOAD_MAX), Node.version(), node.retention, settings.integer(Setting.RETENTION_DAYS),
                settings.bytes(Setting.RETENTION_MAX), node.analyzer, easyInput, node.encoder, node.heartbeat,
                java.time.Duration.ofDays(settings.integer(Setting.SESSION_DAYS)), node.storage,
                settings.integer(Setting.BATCH_MAX_TEMPLATES), settings.integer(Setting.UPLOAD_MAX_NAME),
                settings.text(Setting.NOTIFY_WEBHOOK_URL), settings.text(Setting.NOTIFY_WEBHOOK_SECRET),
                new Imports.Limits(importHosts,
                        Math.min(settings.integer(Setting.IMPORT_MAX_SECONDS), MediaLimits.DEFAULT_MAX_DURATION_SECONDS),
                        settings.bytes(Setting.UPLOAD_MAX), Duration.ofSeconds(settings.integer(Setting.IMPORT_STALL_SECONDS))),
                new com.heygem.app.accounts.Quotas.Limits(settings.bytes(Setting.QUOTA_STORAGE),
                        settings.integer(Setting.QUOTA_MINUTES), settings.integer(Setting.QUOTA_QUEUED))));
        try {
            api.start(bind, port);
        } catch (JavalinBindException e) {
            api.close();
            node.close();
            throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, "server.port", bind + ":" + port
                    + " is already in use (another HeyGem, or another program); stop it or choose another port"
                    + " with --port or HEYGEM_PORT");
        }
        boolean everywhere = bind.equals("0.0.0.0") || bind.equals("::");
        // Until admin has a password, a one-time link to choose it (a new one at each start).
        Accounts accounts = new Accounts(node.database.dataSource());
        String setup = settings.flag(Setting.AUTH) && accounts.byId(Account.ADMIN_ID)
                .filter(a -> !a.hasPassword() && !a.disabled()).isPresent()
                ? "#/setup/" + accounts.newSetup(Account.ADMIN_ID, false) : "";
        String local = "http://" + (everywhere ? "localhost" : bind) + ":" + api.port() + "/";
        String remote = everywhere ? "http://" + Node.hostName() + ":" + api.port() + "/" : null;
        // The log keeps the address, never the token: log files are read by others (and served by /api/v1/logs).
        LOG.info("HeyGem is ready: open {}{} (data directory {}; API token in {})", local,
                remote == null ? "" : " or, from other machines, " + remote, dataDir.toAbsolutePath(),
                dataDir.resolve("token").toAbsolutePath());
        // The one thing a person starting the server needs, where they will see it.
        System.out.println();
        if (!settings.flag(Setting.AUTH)) {
            System.out.println("  HeyGem is ready. Open in a browser (access control is off):");
        } else if (setup.isEmpty()) {
            System.out.println("  HeyGem is ready. Open in a browser and sign in:");
        } else {
            System.out.println("  HeyGem is ready. Open this one-time link to choose the password of the account 'admin':");
        }
        System.out.println("    " + local + setup);
        if (remote != null) {
            System.out.println("    " + remote + setup + "   (from other machines)");
        }
        if (settings.flag(Setting.AUTH)) {
            System.out.println("  Scripts: send 'Authorization: Bearer <token>' with the admin's token from "
                    + dataDir.resolve("token").toAbsolutePath());
        }
        System.out.println();
        stop.await();
        api.close();
        // The running item finishes within workers.stopGraceSeconds or goes back to the queue;
        // the database closes last.
        node.close();
        return ExitCodes.OK;
    }

    /** The named file, else HEYGEM_CONFIG, else ./heygem.properties when present, else none. */
    static Path configFile(Path config) {
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
        Config.option(m, Setting.SERVER_PORT, port);
        Config.option(m, Setting.SERVER_BIND, bind);
        Config.option(m, Setting.DATA_DIR, dataDir);
        Config.option(m, Setting.MODEL_PATH, modelPath);
        Config.option(m, Setting.WORKERS, workers);
        return m;
    }
}
