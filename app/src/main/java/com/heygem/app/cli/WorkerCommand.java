package com.heygem.app.cli;

import com.heygem.app.config.Config;
import com.heygem.app.config.Setting;
import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code heygem worker}: a node that only renders. It shares the PostgreSQL database
 * ({@code db.url}) and the data directory (on shared storage) with the web node and the other
 * workers, takes queued items, beats its heartbeat and, when asked to stop (SIGTERM, Ctrl-C),
 * takes no new item, finishes the current one within {@code workers.stopGraceSeconds} or hands it
 * back, and exits.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run a render-only node that shares a PostgreSQL database (db.url) and data directory with the others.")
final class WorkerCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (env HEYGEM_CONFIG).")
    Path config;

    @Option(names = "--data-dir", description = "The shared data directory, setting data.dir (env HEYGEM_DATA_DIR).")
    Path dataDir;

    @Option(names = "--db-url", description = "JDBC URL of the shared PostgreSQL database, setting db.url (env HEYGEM_DB_URL).")
    String dbUrl;

    @Option(names = "--name", description = "This node's name in the worker list, setting node.name (env HEYGEM_NODE_NAME). Default: the host name.")
    String name;

    @Option(names = "--workers", description = "Renders at a time on this node, setting workers.count (env HEYGEM_WORKERS). Default: 1.")
    Integer workers;

    @Option(names = "--model-path", description = "dlib 68-point landmark model, setting face.modelPath.")
    Path modelPath;

    @Override
    public Integer call() throws Exception {
        Config settings = Config.load(ServeCommand.configFile(config), System.getenv(), flags());
        if (settings.text(Setting.DB_URL).isEmpty()) {
            throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, "db.url",
                    "empty: a worker shares the queue through PostgreSQL; set --db-url or HEYGEM_DB_URL"
                            + " (jdbc:postgresql://host:5432/heygem) as on the web node");
        }
        if (settings.integer(Setting.WORKERS) < 1) {
            throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, "workers.count", "0: a worker renders at least one item at a time");
        }
        StopSignal stop = StopSignal.install();
        Node node = Node.start(settings, "worker-{node}", settings.integer(Setting.WORKERS));
        stop.await();
        node.close();
        return ExitCodes.OK;
    }

    private Map<Setting, String> flags() {
        Map<Setting, String> m = new EnumMap<>(Setting.class);
        Config.option(m, Setting.DATA_DIR, dataDir);
        Config.option(m, Setting.DB_URL, dbUrl);
        Config.option(m, Setting.NODE_NAME, name);
        Config.option(m, Setting.WORKERS, workers);
        Config.option(m, Setting.MODEL_PATH, modelPath);
        return m;
    }
}
