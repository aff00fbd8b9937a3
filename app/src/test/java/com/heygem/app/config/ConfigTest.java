package com.heygem.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    @TempDir
    Path temp;

    @Test
    void defaultsAreTheDocumentedOnes() {
        Config c = Config.defaults();
        assertThat(c.integer(Setting.SERVER_PORT)).isEqualTo(7860);
        assertThat(c.text(Setting.SERVER_BIND)).isEqualTo("0.0.0.0");
        assertThat(c.integer(Setting.WORKERS)).isEqualTo(1);
        assertThat(c.integer(Setting.ENCODER_CRF)).isEqualTo(18);
        assertThat(c.bytes(Setting.UPLOAD_MAX)).isEqualTo(8L << 30);
        assertThat(c.text(Setting.DB_URL)).isEmpty();
        assertThat(c.source(Setting.SERVER_PORT)).isEqualTo("default");
    }

    /** The example file users copy lists every setting with its default, and loads as it is once uncommented. */
    @Test
    void theExampleFileListsEverySettingWithItsDefault() throws Exception {
        Path example = Path.of(System.getProperty("user.dir")).getParent().resolve("heygem.properties.example");
        String text = java.nio.file.Files.readString(example);
        for (Setting s : Setting.values()) {
            assertThat(text).contains("#" + s.key() + " = " + s.defaultValue() + "\n").contains("(" + s.env() + ")");
        }
        Path uncommented = temp.resolve("heygem.properties");
        java.nio.file.Files.writeString(uncommented, text.replaceAll("(?m)^#(\\w)", "$1"));
        Config c = Config.load(uncommented, Map.of(), Map.of());
        for (Setting s : Setting.values()) {
            assertThat(c.source(s)).as(s.key()).isNotEqualTo("default");
            assertThat(c.text(s)).isEqualTo(Config.defaults().text(s));
        }
    }

    @Test
    void fileThenEnvironmentThenCommandLine() throws Exception {
        Path file = temp.resolve("heygem.properties");
        Files.writeString(file, "server.port = 8000\nworkers.count=2\nencoder.preset=Medium\nupload.maxBytes=512M\n");
        Config fromFile = Config.load(file, Map.of(), Map.of());
        assertThat(fromFile.integer(Setting.SERVER_PORT)).isEqualTo(8000);
        assertThat(fromFile.source(Setting.SERVER_PORT)).isEqualTo("file " + file);
        assertThat(fromFile.text(Setting.ENCODER_PRESET)).isEqualTo("medium");
        assertThat(fromFile.bytes(Setting.UPLOAD_MAX)).isEqualTo(512L << 20);

        // The environment names scripts already use (HEYGEM_PORT, HEYGEM_DATA_DIR) keep working.
        Map<String, String> env = Map.of("HEYGEM_PORT", "9000", "HEYGEM_DATA_DIR", "/srv/heygem");
        Config fromEnv = Config.load(file, env, Map.of());
        assertThat(fromEnv.integer(Setting.SERVER_PORT)).isEqualTo(9000);
        assertThat(fromEnv.path(Setting.DATA_DIR)).isEqualTo(Path.of("/srv/heygem"));
        assertThat(fromEnv.integer(Setting.WORKERS)).isEqualTo(2);

        Config fromCli = Config.load(file, env, Map.of(Setting.SERVER_PORT, "9100"));
        assertThat(fromCli.integer(Setting.SERVER_PORT)).isEqualTo(9100);
        assertThat(fromCli.source(Setting.SERVER_PORT)).isEqualTo("command line");
    }

    @Test
    void aBadValueNamesTheSettingAndWhereItCameFrom() throws Exception {
        assertThatThrownBy(() -> Config.load(null, Map.of("HEYGEM_PORT", "80a"), Map.of()))
                .isInstanceOfSatisfying(HeyGemException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("server.port").contains("HEYGEM_PORT").contains("80a");
                });
        assertThatThrownBy(() -> Config.load(null, Map.of(), Map.of(Setting.ENCODER_CRF, "60")))
                .hasMessageContaining("encoder.crf").hasMessageContaining("0 to 51");
        assertThatThrownBy(() -> Config.load(null, Map.of(), Map.of(Setting.ENCODER_PRESET, "turbo")))
                .hasMessageContaining("veryfast");
        assertThatThrownBy(() -> Config.load(null, Map.of("HEYGEM_DB_URL", "mysql://x"), Map.of()))
                .hasMessageContaining("db.url");
        Path file = temp.resolve("typo.properties");
        Files.writeString(file, "server.prot=80\n");
        assertThatThrownBy(() -> Config.load(file, Map.of(), Map.of()))
                .hasMessageContaining("server.prot").hasMessageContaining("no such setting");
        assertThatThrownBy(() -> Config.load(temp.resolve("missing.properties"), Map.of(), Map.of()))
                .isInstanceOfSatisfying(HeyGemException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.FILE_NOT_FOUND));
    }

    @Test
    void theStartUpLogNeverShowsASecret() {
        Config c = Config.load(null, Map.of("HEYGEM_DB_PASSWORD", "hunter2",
                "HEYGEM_DB_URL", "jdbc:postgresql://heygem:s3cret@db:5432/heygem?password=hunter2&ssl=true"), Map.of());
        String log = String.join("\n", c.describe());
        assertThat(log).doesNotContain("hunter2").doesNotContain("s3cret");
        assertThat(log).contains("db.password = ****").contains("db:5432/heygem").contains("ssl=true");
        assertThat(c.describe()).hasSize(Setting.values().length);
    }

    @Test
    void sizesTakeUnits() {
        assertThat(Setting.bytes("1048576")).isEqualTo(1 << 20);
        assertThat(Setting.bytes("1.5G")).isEqualTo(3L << 29);
        assertThat(Setting.bytes("10k")).isEqualTo(10240);
        assertThat(Setting.bytes("-1")).isEqualTo(-1);
        assertThat(Setting.bytes("lots")).isEqualTo(-1);
    }
}
