package com.heygem.app.config;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The settings in force: each {@link Setting}'s default, overridden by the configuration file,
 * then by its environment variable, then by a command-line flag. Every value is checked once,
 * here, at start: a bad one stops HeyGem with an error naming the setting and where it came
 * from, instead of failing later in the middle of a batch. Immutable.
 */
public final class Config {
    /** The configuration file read when none is named and it exists in the working directory. */
    public static final String DEFAULT_FILE = "heygem.properties";
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern URL_USER_INFO = Pattern.compile("(//[^/@:]*:)[^/@]*@");

    private final Map<Setting, String> values = new EnumMap<>(Setting.class);
    private final Map<Setting, String> sources = new EnumMap<>(Setting.class);

    private Config() {
    }

    /** Defaults only. */
    public static Config defaults() {
        return load(null, Map.of(), Map.of());
    }

    /**
     * @param file a properties file (keys as in {@link Setting#key()}), or null for none
     * @param env  environment variables ({@code System.getenv()})
     * @param cli  values given as command-line flags, by setting
     * @throws HeyGemException INVALID_ARGUMENT naming the setting and its source, or FILE_NOT_FOUND
     */
    public static Config load(Path file, Map<String, String> env, Map<Setting, String> cli) {
        Config c = new Config();
        Properties fromFile = new Properties();
        if (file != null) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                fromFile.load(in);
            } catch (NoSuchFileException e) {
                throw new HeyGemException(ErrorCode.FILE_NOT_FOUND, file);
            } catch (IOException | IllegalArgumentException e) {
                throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, "configuration file " + file, e.getMessage());
            }
            for (String key : fromFile.stringPropertyNames()) {
                if (Setting.byKey(key) == null) {
                    throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, key + " (in " + file + ")",
                            "there is no such setting; the settings are listed in docs/configuration.md");
                }
            }
        }
        String[] problem = new String[1];
        for (Setting s : Setting.values()) {
            String raw = s.defaultValue();
            String source = "default";
            if (fromFile.containsKey(s.key())) {
                raw = fromFile.getProperty(s.key());
                source = "file " + file;
            }
            String fromEnv = env.get(s.env());
            if (fromEnv != null) {
                raw = fromEnv;
                source = "environment " + s.env();
            }
            String fromCli = cli.get(s);
            if (fromCli != null) {
                raw = fromCli;
                source = "command line";
            }
            String value = s.normalise(raw, problem);
            if (value == null) {
                throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, s.key() + " (" + source + ")", problem[0]);
            }
            c.values.put(s, value);
            c.sources.put(s, source);
        }
        return c;
    }

    public String text(Setting s) {
        return values.get(s);
    }

    public int integer(Setting s) {
        return Integer.parseInt(values.get(s));
    }

    public long bytes(Setting s) {
        return Long.parseLong(values.get(s));
    }

    /** Puts a command-line option into {@code flags} when it was given (picocli leaves absent ones null). */
    public static void option(java.util.Map<Setting, String> flags, Setting s, Object value) {
        if (value != null) {
            flags.put(s, value.toString());
        }
    }

    public boolean flag(Setting s) {
        return Boolean.parseBoolean(text(s));
    }

    public double number(Setting s) {
        return Double.parseDouble(values.get(s));
    }

    public Path path(Setting s) {
        return Path.of(values.get(s));
    }

    /** Where the value came from: "default", "file …", "environment …" or "command line". */
    public String source(Setting s) {
        return sources.get(s);
    }

    /** One line per setting for the start-up log: key, value, source; secrets masked. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (Setting s : Setting.values()) {
            String v = values.get(s);
            if (s.isSecret()) {
                v = v.isEmpty() ? "" : "****";
            } else if (s == Setting.DB_URL) {
                v = maskUrl(v);
            }
            lines.add(s.key() + " = " + v + " (" + sources.get(s) + ")");
        }
        return lines;
    }

    /** A JDBC URL with any password in it (user:password@ or password=…) replaced by ****. */
    public static String maskUrl(String url) {
        String masked = URL_PASSWORD.matcher(url).replaceAll("$1****");
        return URL_USER_INFO.matcher(masked).replaceAll("$1****@");
    }
}
