package com.heygem.engine.face;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.engine.image.GrayImage;
import com.heygem.engine.image.YuvImage;
import com.heygem.engine.media.VideoReader;
import com.heygem.engine.testing.SharedMedia;
import com.heygem.engine.testing.TestMedia;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaceTrackerTest {
    @TempDir
    Path temp;

    private static FaceTrack track(Path video) {
        ShapePredictor predictor = ShapePredictor.shared(SharedMedia.landmarkModel());
        FaceTrack track = new FaceTrack();
        try (VideoReader reader = VideoReader.open(video); FaceTracker tracker = new FaceTracker(predictor, 40)) {
            YuvImage frame = new YuvImage();
            GrayImage gray = new GrayImage();
            while (reader.read(frame)) {
                tracker.next(gray.wrapLuma(frame), track);
            }
            tracker.finish(track);
        }
        return track;
    }

    /** Smoothing removes jitter, but the smoothed head moves in step with the raw one. */
    @Test
    void smoothedTrackDoesNotLagTheRawOne() {
        for (String name : new String[] {"woman_blue_700.mp4", "man_standing_portrait_hevc.mp4"}) {
            FaceTrack raw = track(SharedMedia.template(name));
            FaceTrack smooth = new LandmarkSmoother(name.startsWith("woman") ? 30 : 25).smooth(raw);
            assertThat(LandmarkSmoother.lag(raw, smooth, 5)).as(name).isZero();
            assertThat(LandmarkSmoother.rigidJitter(smooth)).as(name).isLessThan(LandmarkSmoother.rigidJitter(raw) / 2);
        }
    }

    /** Two seconds of grey in the middle: the face is withdrawn there and taken up again after. */
    @Test
    void faceLeavingAndComingBackIsMarked() {
        Path gap = temp.resolve("gap.mp4");
        String src = SharedMedia.template("woman_blue_700.mp4").toString();
        TestMedia.ffmpeg(gap, "-i", src, "-f", "lavfi", "-i", "color=c=gray:size=700x700:rate=30:duration=2",
                "-filter_complex", "[0:v]trim=0:3,setpts=PTS-STARTPTS,format=yuv420p[a];"
                        + "[0:v]trim=3:6,setpts=PTS-STARTPTS,format=yuv420p[c];[1:v]format=yuv420p[g];"
                        + "[a][g][c]concat=n=3:v=1[v]", "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast");
        FaceTrack track = track(gap);
        assertThat(track.frames()).isEqualTo(240);
        int faceBefore = 0;
        int faceInGap = 0;
        int faceAfter = 0;
        for (int f = 0; f < track.frames(); f++) {
            if (!track.present(f)) {
                continue;
            }
            if (f < 90) {
                faceBefore++;
            } else if (f < 150) {
                faceInGap++;
            } else {
                faceAfter++;
            }
        }
        assertThat(faceBefore).isGreaterThanOrEqualTo(89);
        assertThat(faceAfter).isGreaterThanOrEqualTo(85);
        // The loss is noticed within a few frames, not at the end of the grey.
        assertThat(faceInGap).isLessThanOrEqualTo(8);
    }
}
