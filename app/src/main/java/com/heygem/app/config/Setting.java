package com.heygem.app.config;

import java.util.List;
import java.util.Locale;

/**
 * Every setting HeyGem reads: its key in the configuration file, its environment variable, its
 * default and what values it takes. The one list the loader, the start-up log and
 * docs/configuration.md follow.
 */
public enum Setting {
    SERVER_PORT("server.port", "HEYGEM_PORT", "7860", Kind.PORT, "HTTP port; 0 picks a free one"),
    SERVER_BIND("server.bind", "HEYGEM_BIND", "0.0.0.0", Kind.TEXT, "address the server listens on"),
    AUTH("server.auth", "HEYGEM_AUTH", "true", Kind.BOOLEAN,
            "require the access token (data/token); false lets anyone who reaches the port in"),
    SESSION_DAYS("server.sessionDays", "HEYGEM_SESSION_DAYS", "7", Kind.DAYS,
            "a browser stays signed in this many days (signing out, or 'heygem token rotate', ends it sooner)"),
    DATA_DIR("data.dir", "HEYGEM_DATA_DIR", "data", Kind.TEXT, "uploads, profiles, results, logs"),
    DB_URL("db.url", "HEYGEM_DB_URL", "", Kind.JDBC_URL,
            "JDBC URL of a PostgreSQL database; empty: the embedded database in the data directory"),
    DB_USER("db.user", "HEYGEM_DB_USER", "", Kind.TEXT, "database user"),
    DB_PASSWORD("db.password", "HEYGEM_DB_PASSWORD", "", Kind.SECRET, "database password (never logged)"),
    WORKERS("workers.count", "HEYGEM_WORKERS", "1", Kind.WORKERS,
            "renders at a time on this machine; 0: serve only"),
    NODE_NAME("node.name", "HEYGEM_NODE_NAME", "", Kind.TEXT,
            "this node's name in the worker list; empty: the host name"),
    WORKER_HEARTBEAT("workers.heartbeatSeconds", "HEYGEM_WORKER_HEARTBEAT_SECONDS", "5", Kind.SECONDS,
            "how often a node says it is alive; after 4 missed beats its item runs elsewhere"),
    WORKER_STOP_GRACE("workers.stopGraceSeconds", "HEYGEM_WORKER_STOP_GRACE_SECONDS", "60", Kind.COUNT,
            "on stop, how long a node may finish its current item before handing it back to the queue"),
    ITEM_TIMEOUT_FACTOR("item.timeoutFactor", "HEYGEM_ITEM_TIMEOUT_FACTOR", "10", Kind.POSITIVE_NUMBER,
            "an item may take this many times its audio's length"),
    ITEM_MIN_TIMEOUT("item.minTimeoutSeconds", "HEYGEM_ITEM_MIN_TIMEOUT_SECONDS", "300", Kind.COUNT,
            "but never less than this"),
    ENCODER_PRESET("encoder.preset", "HEYGEM_PRESET", "veryfast", Kind.PRESET, "x264 preset of the results"),
    ENCODER_CRF("encoder.crf", "HEYGEM_CRF", "18", Kind.CRF, "x264 quality, 0 (lossless) to 51"),
    UPLOAD_MAX("upload.maxBytes", "HEYGEM_UPLOAD_MAX_BYTES", "8G", Kind.SIZE, "largest upload"),
    BATCH_MAX_TEMPLATES("batch.maxTemplates", "HEYGEM_BATCH_MAX_TEMPLATES", "1000", Kind.LIMIT,
            "templates in one batch at most; more are refused (400) with this number"),
    UPLOAD_MAX_NAME("upload.maxNameLength", "HEYGEM_UPLOAD_MAX_NAME_LENGTH", "255", Kind.LIMIT,
            "characters of an uploaded file's name that are kept, at most 255 (a longer name is shortened, its extension"
                    + " kept)"),
    RETENTION_DAYS("retention.days", "HEYGEM_RETENTION_DAYS", "30", Kind.COUNT,
            "results and unused uploads older than this are deleted; 0: keep forever"),
    QUOTA_STORAGE("quota.storageBytes", "HEYGEM_QUOTA_STORAGE_BYTES", "0", Kind.SIZE,
            "default for each editor: its uploads and results at most (an admin may set another per account); 0: no limit"),
    QUOTA_MINUTES("quota.minutesPerDay", "HEYGEM_QUOTA_MINUTES_PER_DAY", "0", Kind.COUNT,
            "default for each editor: minutes of video submitted in any 24 hours at most; 0: no limit"),
    QUOTA_QUEUED("quota.queuedItems", "HEYGEM_QUOTA_QUEUED_ITEMS", "0", Kind.COUNT,
            "default for each editor: videos queued or rendering at once at most; 0: no limit"),
    RETENTION_MAX("retention.maxBytes", "HEYGEM_RETENTION_MAX_BYTES", "0", Kind.SIZE,
            "disk quota of results and uploads, oldest out first; 0: no quota"),
    NOTIFY_WEBHOOK_URL("notify.webhookUrl", "HEYGEM_NOTIFY_WEBHOOK_URL", "", Kind.TEXT,
            "default address POSTed (signed JSON) when a batch finishes; a batch's own webhookUrl takes its place"),
    NOTIFY_WEBHOOK_SECRET("notify.webhookSecret", "HEYGEM_NOTIFY_WEBHOOK_SECRET", "", Kind.SECRET,
            "key of the webhooks' HMAC-SHA256 signature; empty: a random one kept in <data>/webhook-secret"),
    STORAGE_RESERVE("storage.reserveBytes", "HEYGEM_STORAGE_RESERVE_BYTES", "512M", Kind.SIZE,
            "free space kept in the data directory: below it the queue pauses and uploads get 507; 0: no check"),
    IMPORT_ALLOW_HOSTS("import.allowHosts", "HEYGEM_IMPORT_ALLOW_HOSTS", "", Kind.TEXT,
            "hosts media may be pulled from by address (names, IPs or CIDRs, comma-separated); empty: any public host,"
                    + " none on the server's own networks"),
    IMPORT_MAX_SECONDS("import.maxSeconds", "HEYGEM_IMPORT_MAX_SECONDS", "3600", Kind.LIMIT,
            "longest media pulled from an address; a live stream is recorded this long at most"),
    IMPORT_STALL_SECONDS("import.stallSeconds", "HEYGEM_IMPORT_STALL_SECONDS", "20", Kind.SECONDS,
            "an address that sends nothing this long ends its pull (a live stream: what was recorded is kept)"),
    MODEL_PATH("face.modelPath", "HEYGEM_MODEL_PATH", "/usr/share/dlib/shape_predictor_68_face_landmarks.dat",
            Kind.TEXT, "dlib 68-point landmark model"),
    MOUTH_CROP_CACHE("cache.mouthCropBytes", "HEYGEM_MOUTH_CROP_BYTES", "10G", Kind.SIZE,
            "disk kept for templates' mouth crops (faster renders); 0: none"),
    EASY_INPUT_DIR("easy.inputDir", "HEYGEM_EASY_INPUT_DIR", "", Kind.TEXT,
            "folder whose files /easy/submit may name (audio_url, video_url); empty: <data dir>/input");

    /** What a setting's value must look like. */
    enum Kind {
        PORT, TEXT, SECRET, JDBC_URL, WORKERS, POSITIVE_NUMBER, COUNT, PRESET, CRF, SIZE, BOOLEAN, SECONDS, DAYS, LIMIT
    }

    static final List<String> PRESETS = List.of("ultrafast", "superfast", "veryfast", "faster", "fast", "medium",
            "slow", "slower", "veryslow");

    private final String key;
    private final String env;
    private final String defaultValue;
    private final Kind kind;
    private final String description;

    Setting(String key, String env, String defaultValue, Kind kind, String description) {
        this.key = key;
        this.env = env;
        this.defaultValue = defaultValue;
        this.kind = kind;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String env() {
        return env;
    }

    public String defaultValue() {
        return defaultValue;
    }

    Kind kind() {
        return kind;
    }

    public String description() {
        return description;
    }

    public boolean isSecret() {
        return kind == Kind.SECRET;
    }

    static Setting byKey(String key) {
        for (Setting s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        return null;
    }

    /**
     * Checks {@code raw} and returns it normalised (sizes in bytes, presets in lower case).
     *
     * @return the normalised value, or null with {@code problem[0]} set when it is invalid
     */
    String normalise(String raw, String[] problem) {
        String v = raw.trim();
        switch (kind) {
            case PORT:
                return whole(v, 0, 65535, problem);
            case WORKERS:
                return whole(v, 0, 64, problem);
            case CRF:
                return whole(v, 0, 51, problem);
            case SECONDS:
                return whole(v, 1, 3600, problem);
            case DAYS:
                return whole(v, 1, 3650, problem);
            case LIMIT:
                return whole(v, 1, 1_000_000, problem);
            case COUNT:
                return whole(v, 0, Integer.MAX_VALUE, problem);
            case POSITIVE_NUMBER:
                try {
                    double d = Double.parseDouble(v);
                    if (d > 0 && Double.isFinite(d)) {
                        return Double.toString(d);
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                problem[0] = "'" + v + "' is not a number above 0";
                return null;
            case PRESET:
                String p = v.toLowerCase(Locale.ROOT);
                if (PRESETS.contains(p)) {
                    return p;
                }
                problem[0] = "'" + v + "' is not an x264 preset (" + String.join(", ", PRESETS) + ")";
                return null;
            case SIZE:
                long bytes = bytes(v);
                if (bytes >= 0) {
                    return Long.toString(bytes);
                }
                problem[0] = "'" + v + "' is not a size (bytes, or a number with K, M, G or T)";
                return null;
            case BOOLEAN:
                String b = v.toLowerCase(Locale.ROOT);
                if (b.equals("true") || b.equals("false")) {
                    return b;
                }
                problem[0] = "'" + v + "' is not true or false";
                return null;
            case JDBC_URL:
                if (v.isEmpty() || v.startsWith("jdbc:postgresql:")) {
                    return v;
                }
                problem[0] = "'" + Config.maskUrl(v) + "' is not a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db)";
                return null;
            case TEXT:
                if (!v.isEmpty() || defaultValue.isEmpty()) {
                    return v;
                }
                problem[0] = "it is empty";
                return null;
            default:
                return v;
        }
    }

    private static String whole(String v, long min, long max, String[] problem) {
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return Long.toString(n);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem[0] = "'" + v + "' is not a whole number from " + min + " to " + max;
        return null;
    }

    /** Bytes from "1048576", "512M", "8G", "1.5T"; -1 when not a size. */
    static long bytes(String v) {
        if (v.isEmpty()) {
            return -1;
        }
        char unit = Character.toUpperCase(v.charAt(v.length() - 1));
        int shift = unit == 'K' ? 10 : unit == 'M' ? 20 : unit == 'G' ? 30 : unit == 'T' ? 40 : 0;
        String number = shift == 0 ? v : v.substring(0, v.length() - 1).trim();
        try {
            double d = Double.parseDouble(number);
            if (d < 0 || !Double.isFinite(d) || d * (1L << shift) > Long.MAX_VALUE / 2) {
                return -1;
            }
            return (long) (d * (1L << shift));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
