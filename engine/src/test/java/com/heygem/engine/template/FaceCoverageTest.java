package com.heygem.engine.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.testing.SharedMedia;
import com.heygem.engine.testing.TestMedia;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Templates whose mouth is hidden for a while, and videos that are no presenter at all. */
class FaceCoverageTest {
    @TempDir
    Path temp;

    private TemplateAnalyzer analyzer() {
        return new TemplateAnalyzer(new TemplateAnalyzer.Settings(SharedMedia.landmarkModel(), null,
                MediaLimits.DEFAULT, TemplateAnalyzer.Settings.DEFAULT_MIN_FACE_SIDE));
    }

    @Test
    void aBoxOverTheMouthIsFoundWarnedAboutAndKeptOutOfTheLibrary() {
        // woman_blue_700's mouth sits near (386, 307), about 80 px wide.
        Path boxed = TestMedia.ffmpeg(temp.resolve("boxed.mp4"), "-i", SharedMedia.template("woman_blue_700.mp4").toString(),
                "-vf", "drawbox=x=326:y=262:w=120:h=90:color=black:t=fill:enable='between(t,2,3.5)'",
                "-c:v", "libx264", "-preset", "veryfast", "-crf", "16", "-an");
        TemplateProfile p = analyzer().analyze(boxed, f -> { }, () -> false).profile();
        double fps = p.summary().fps();
        int first = (int) Math.ceil(2 * fps);
        int last = (int) Math.floor(3.5 * fps);
        for (int f = first + 1; f < last; f++) {
            assertThat(p.mouthCovered()[f]).as("frame %d, under the box", f).isTrue();
            assertThat(p.mouthVisible(f)).isFalse();
        }
        int outside = 0;
        for (int f = 0; f < p.frames(); f++) {
            if (p.mouthCovered()[f] && (f < first - MouthCover.MARGIN - 1 || f > last + MouthCover.MARGIN + 1)) {
                outside++;
            }
        }
        assertThat(outside).as("covered frames away from the box").isZero();
        assertThat(p.summary().warnings()).anySatisfy(w -> {
            assertThat(w.code()).isEqualTo(ProfileWarning.MOUTH_COVERED);
            assertThat(w.messageEn()).contains("covered");
            assertThat(w.messageZh()).contains("遮挡");
        });
    }

    @Test
    void theSharedTemplatesHaveNoCoveredMouths() {
        for (String name : new String[] {"woman_blue_700.mp4", "man_suit_vfr.mp4", "obama_256_silent.mp4"}) {
            TemplateProfile p = analyzer().analyze(SharedMedia.template(name), f -> { }, () -> false).profile();
            for (int f = 0; f < p.frames(); f++) {
                assertThat(p.mouthCovered()[f]).as("%s frame %d", name, f).isFalse();
            }
        }
    }

    @Test
    void aVideoWithAFaceInAFifthOfItIsRefusedNotRendered() {
        Path video = TestMedia.ffmpeg(temp.resolve("mostly-fractal.mp4"),
                "-i", SharedMedia.template("woman_blue_700.mp4").toString(),
                "-f", "lavfi", "-t", "4", "-i", "mandelbrot=size=700x700:rate=30",
                "-filter_complex", "[0:v]trim=0:1,setpts=PTS-STARTPTS,fps=30,format=yuv420p[a];"
                        + "[1:v]fps=30,format=yuv420p[b];[a][b]concat=n=2:v=1[v]",
                "-map", "[v]", "-c:v", "libx264", "-preset", "veryfast", "-crf", "18");
        assertThatThrownBy(() -> analyzer().analyze(video, f -> { }, () -> false))
                .isInstanceOfSatisfying(HeyGemException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.FACE_TOO_RARE);
                    assertThat(e.getMessage()).contains("mostly-fractal.mp4").contains("% of the frames");
                });
    }
}
