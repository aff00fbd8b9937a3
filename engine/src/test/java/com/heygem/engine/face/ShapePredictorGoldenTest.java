package com.heygem.engine.face;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.engine.image.BgrImage;
import com.heygem.engine.image.GrayImage;
import com.heygem.engine.testing.LandmarkDataset;
import com.heygem.engine.testing.SharedMedia;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Given dlib's own face boxes, our predictor must place every landmark where dlib's C++ code
 * does. The golden files hold dlib's output rounded to whole pixels.
 */
class ShapePredictorGoldenTest {
    private static ShapePredictor predictor;

    @BeforeAll
    static void load() {
        predictor = ShapePredictor.shared(SharedMedia.landmarkModel());
    }

    @Test
    void modelHasTheKnownShape() {
        assertThat(predictor.points()).isEqualTo(68);
        assertThat(predictor.cascades()).isEqualTo(15);
        assertThat(predictor.treesPerCascade()).isEqualTo(500);
        assertThat(predictor.treeDepth()).isEqualTo(4);
    }

    /** dlib's example data was made by dlib 18.x, which mapped boxes by a similarity transform. */
    @Test
    void reproducesDlibOnPascalFaces() throws Exception {
        check(SharedMedia.dir().resolve("faces/testing_with_face_landmarks.xml"), 25,
                ShapePredictor.BoxMapping.SIMILARITY);
    }

    /** Made by dlib 19.24, which maps boxes exactly (affine). */
    @Test
    void reproducesDlibOnTemplateFrames() throws Exception {
        check(SharedMedia.dir().resolve("faces/frames/dlib_cpp_golden.xml"), 11, ShapePredictor.BoxMapping.AFFINE);
    }

    /** Square boxes, all the tracker ever uses, give the same landmarks under both mappings. */
    @Test
    void mappingsAgreeOnSquareBoxes() throws Exception {
        List<LandmarkDataset.Face> faces = LandmarkDataset.read(SharedMedia.dir().resolve("faces/frames/dlib_cpp_golden.xml"));
        LandmarkDataset.Face face = faces.get(0);
        GrayImage gray = GrayImage.fromBgrMean(readBgr(face.image()));
        FaceBox square = FaceBox.centered(face.box().centerX(), face.box().centerY(), face.box().width());
        float[] affine = new float[136];
        float[] similarity = new float[136];
        ShapePredictor.Scratch scratch = predictor.newScratch();
        predictor.predict(gray, square, ShapePredictor.BoxMapping.AFFINE, scratch, affine);
        predictor.predict(gray, square, ShapePredictor.BoxMapping.SIMILARITY, scratch, similarity);
        for (int i = 0; i < affine.length; i++) {
            assertThat((double) similarity[i]).isCloseTo(affine[i], org.assertj.core.data.Offset.offset(1e-3));
        }
    }

    private static void check(Path xml, int expectedFaces, ShapePredictor.BoxMapping mapping) throws Exception {
        List<LandmarkDataset.Face> faces = LandmarkDataset.read(xml);
        assertThat(faces).hasSize(expectedFaces);
        ShapePredictor.Scratch scratch = predictor.newScratch();
        float[] out = new float[136];
        double worst = 0;
        double sum = 0;
        int count = 0;
        Path loaded = null;
        GrayImage gray = null;
        for (LandmarkDataset.Face face : faces) {
            if (!face.image().equals(loaded)) {
                gray = GrayImage.fromBgrMean(readBgr(face.image()));
                loaded = face.image();
            }
            predictor.predict(gray, face.box(), mapping, scratch, out);
            double faceWorst = 0;
            for (int i = 0; i < 68; i++) {
                // dlib hands out whole pixels; compare like with like.
                double dx = Math.round(out[2 * i]) - face.points()[2 * i];
                double dy = Math.round(out[2 * i + 1]) - face.points()[2 * i + 1];
                double d = Math.hypot(dx, dy);
                faceWorst = Math.max(faceWorst, d);
                sum += d;
                count++;
            }
            assertThat(faceWorst).as("worst point of %s box %s", face.image().getFileName(), face.box())
                    .isLessThanOrEqualTo(1.5);
            worst = Math.max(worst, faceWorst);
        }
        double mean = sum / count;
        System.out.printf("%s: %d faces, mean %.3f px, worst %.3f px%n", xml.getFileName(), faces.size(), mean, worst);
        assertThat(mean).isLessThanOrEqualTo(0.5);
    }

    static BgrImage readBgr(Path file) throws Exception {
        BufferedImage img = ImageIO.read(file.toFile());
        BgrImage bgr = new BgrImage(img.getWidth(), img.getHeight());
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int at = y * bgr.stride + 3 * x;
                bgr.data[at] = (byte) rgb;
                bgr.data[at + 1] = (byte) (rgb >> 8);
                bgr.data[at + 2] = (byte) (rgb >> 16);
            }
        }
        return bgr;
    }
}
