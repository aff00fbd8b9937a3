package com.heygem.engine.face;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShapePredictorFileTest {
    @TempDir
    Path temp;

    @Test
    void missingModelIsModelMissing() {
        assertThatThrownBy(() -> ShapePredictor.shared(temp.resolve("none.dat")))
                .isInstanceOf(HeyGemException.class)
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((HeyGemException) e).code())
                        .isEqualTo(ErrorCode.MODEL_MISSING))
                .hasMessageContaining("libdlib-data").hasMessageContaining("face.modelPath");
    }

    @Test
    void otherFilesAreModelInvalidNotACrash() throws Exception {
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        Path random = Files.write(temp.resolve("random.dat"), noise);
        Path empty = Files.write(temp.resolve("empty.dat"), new byte[0]);
        // A valid header followed by a truncated body.
        Path truncated = Files.write(temp.resolve("truncated.dat"), new byte[] {1, 1, (byte) 0x81, (byte) 0x88, (byte) 0x81, 1});
        for (Path p : new Path[] {random, empty, truncated}) {
            assertThatThrownBy(() -> ShapePredictor.load(p))
                    .as(p.getFileName().toString())
                    .isInstanceOf(HeyGemException.class)
                    .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((HeyGemException) e).code())
                            .isEqualTo(ErrorCode.MODEL_INVALID));
        }
    }
}
