package com.heygem.engine.face;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.image.GrayImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * dlib's face landmark predictor (Kazemi and Sullivan's ensemble of regression trees) in plain
 * Java, reading dlib's own {@code shape_predictor_68_face_landmarks.dat}.
 *
 * <p>Starting from a mean shape placed in the face box, each cascade level samples a few hundred
 * pixels at positions defined relative to the current shape estimate, compares pixel pairs at
 * the nodes of its trees, and adds the leaf vectors it reaches to the shape. Shapes live in box
 * coordinates, where the box maps to the unit square; the result is mapped back to the image.
 *
 * <p>The model is immutable after loading and is shared by all threads; each thread passes its
 * own {@link Scratch}. Nothing is allocated per prediction.
 */
public final class ShapePredictor {
    private static final Map<Path, ShapePredictor> SHARED = new ConcurrentHashMap<>();
    private static final int MAX_POINTS = 1000;
    private static final int MAX_COUNT = 100_000;

    private final int points;
    private final int cascades;
    private final int treesPerCascade;
    private final int splitsPerTree;
    private final int featuresPerCascade;
    /** Mean shape, x and y interleaved, in box coordinates. */
    private final float[] initialShape;
    private final float[] initialCentered;
    private final double initialSpread;
    /**
     * Per split, flattened over cascade, tree, node: the two feature indices and the threshold's
     * float bits side by side, so one tree walk touches one or two cache lines.
     */
    private final int[] splits;
    /** Per leaf a shape increment of {@code 2 * points} values, flattened over cascade, tree, leaf. */
    private final float[] leafValues;
    /** Per cascade and feature: the shape point the sample pixel hangs from, and its offset. */
    private final int[] anchor;
    private final float[] deltaX;
    private final float[] deltaY;

    /** Per-thread working memory of one prediction. */
    public static final class Scratch {
        final float[] shape;
        final float[] features;
        float m00;
        float m01;
        float m10;
        float m11;

        Scratch(int points, int features) {
            this.shape = new float[2 * points];
            this.features = new float[features];
        }
    }

    private ShapePredictor(int points, int cascades, int treesPerCascade, int splitsPerTree, int featuresPerCascade,
            float[] initialShape, int[] splitIdx1, int[] splitIdx2, float[] splitThreshold, float[] leafValues,
            int[] anchor, float[] deltaX, float[] deltaY) {
        this.points = points;
        this.cascades = cascades;
        this.treesPerCascade = treesPerCascade;
        this.splitsPerTree = splitsPerTree;
        this.featuresPerCascade = featuresPerCascade;
        this.initialShape = initialShape;
        this.splits = new int[3 * splitIdx1.length];
        for (int i = 0; i < splitIdx1.length; i++) {
            splits[3 * i] = splitIdx1[i];
            splits[3 * i + 1] = splitIdx2[i];
            splits[3 * i + 2] = Float.floatToRawIntBits(splitThreshold[i]);
        }
        this.leafValues = leafValues;
        this.anchor = anchor;
        this.deltaX = deltaX;
        this.deltaY = deltaY;
        this.initialCentered = new float[initialShape.length];
        double mx = 0;
        double my = 0;
        for (int i = 0; i < points; i++) {
            mx += initialShape[2 * i];
            my += initialShape[2 * i + 1];
        }
        mx /= points;
        my /= points;
        double spread = 0;
        for (int i = 0; i < points; i++) {
            float cx = (float) (initialShape[2 * i] - mx);
            float cy = (float) (initialShape[2 * i + 1] - my);
            initialCentered[2 * i] = cx;
            initialCentered[2 * i + 1] = cy;
            spread += cx * cx + cy * cy;
        }
        this.initialSpread = spread / points;
    }

    /**
     * The model at {@code path}, loaded on first use and then shared by the whole process.
     *
     * @throws HeyGemException MODEL_MISSING when the file is absent, MODEL_INVALID when it is not a
     *                         dlib shape predictor
     */
    public static ShapePredictor shared(Path path) {
        Path key = LandmarkModelFile.require(path).toAbsolutePath().normalize();
        return SHARED.computeIfAbsent(key, ShapePredictor::load);
    }

    /** Reads a model file; prefer {@link #shared(Path)}, which loads each file once. */
    public static ShapePredictor load(Path path) {
        LandmarkModelFile.require(path);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MappedByteBuffer buffer = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            return read(buffer);
        } catch (IOException e) {
            throw new HeyGemException(ErrorCode.MODEL_MISSING, e, path);
        } catch (RuntimeException e) {
            if (e instanceof HeyGemException) {
                throw e;
            }
            throw new HeyGemException(ErrorCode.MODEL_INVALID, e, path, e.getMessage());
        }
    }

    static ShapePredictor read(ByteBuffer buffer) {
        DlibDeserializer in = new DlibDeserializer(buffer);
        int version = in.readInt();
        if (version != 1) {
            throw new IllegalStateException("unknown shape_predictor version " + version);
        }
        float[] initialShape = in.readColumnVector(2 * MAX_POINTS);
        if (initialShape.length < 4 || initialShape.length % 2 != 0) {
            throw new IllegalStateException("initial shape has " + initialShape.length + " values");
        }
        int points = initialShape.length / 2;

        int cascades = in.readCount(MAX_COUNT);
        int trees = -1;
        int splits = -1;
        int[] idx1 = null;
        int[] idx2 = null;
        float[] thresholds = null;
        float[] leaves = null;
        for (int c = 0; c < cascades; c++) {
            int treeCount = in.readCount(MAX_COUNT);
            if (trees < 0) {
                trees = treeCount;
            } else if (treeCount != trees) {
                throw new IllegalStateException("cascades differ in tree count");
            }
            for (int t = 0; t < trees; t++) {
                int splitCount = in.readCount(MAX_COUNT);
                if (splits < 0) {
                    splits = splitCount;
                    if (Integer.bitCount(splits + 1) != 1) {
                        throw new IllegalStateException("tree with " + splits + " splits is not complete");
                    }
                    long totalSplits = (long) cascades * trees * splits;
                    long totalLeafValues = (long) cascades * trees * (splits + 1) * 2 * points;
                    if (totalLeafValues > Integer.MAX_VALUE - 8) {
                        throw new IllegalStateException("model too large");
                    }
                    idx1 = new int[(int) totalSplits];
                    idx2 = new int[(int) totalSplits];
                    thresholds = new float[(int) totalSplits];
                    leaves = new float[(int) totalLeafValues];
                } else if (splitCount != splits) {
                    throw new IllegalStateException("trees differ in depth");
                }
                int treeIndex = c * trees + t;
                for (int s = 0; s < splits; s++) {
                    int at = treeIndex * splits + s;
                    idx1[at] = in.readCount(MAX_COUNT);
                    idx2[at] = in.readCount(MAX_COUNT);
                    thresholds[at] = in.readFloat();
                }
                int leafCount = in.readCount(MAX_COUNT);
                if (leafCount != splits + 1) {
                    throw new IllegalStateException("tree has " + leafCount + " leaves for " + splits + " splits");
                }
                for (int l = 0; l < leafCount; l++) {
                    in.readColumnVectorInto(leaves, (treeIndex * leafCount + l) * 2 * points, 2 * points);
                }
            }
        }

        int anchorCascades = in.readCount(MAX_COUNT);
        if (anchorCascades != cascades) {
            throw new IllegalStateException("anchor table has " + anchorCascades + " cascades, expected " + cascades);
        }
        int features = -1;
        int[] anchor = null;
        for (int c = 0; c < cascades; c++) {
            int n = in.readCount(MAX_COUNT);
            if (features < 0) {
                features = n;
                anchor = new int[cascades * features];
            } else if (n != features) {
                throw new IllegalStateException("cascades differ in feature count");
            }
            for (int i = 0; i < features; i++) {
                int a = in.readCount(MAX_COUNT);
                if (a >= points) {
                    throw new IllegalStateException("anchor " + a + " beyond " + points + " points");
                }
                anchor[c * features + i] = a;
            }
        }
        int deltaCascades = in.readCount(MAX_COUNT);
        if (deltaCascades != cascades) {
            throw new IllegalStateException("delta table has " + deltaCascades + " cascades");
        }
        float[] dx = new float[cascades * features];
        float[] dy = new float[cascades * features];
        for (int c = 0; c < cascades; c++) {
            if (in.readCount(MAX_COUNT) != features) {
                throw new IllegalStateException("delta table size differs from anchor table");
            }
            for (int i = 0; i < features; i++) {
                dx[c * features + i] = in.readFloat();
                dy[c * features + i] = in.readFloat();
            }
        }
        for (int i = 0; i < idx1.length; i++) {
            if (idx1[i] >= features || idx2[i] >= features) {
                throw new IllegalStateException("split refers to feature beyond " + features);
            }
        }
        if (!in.atEnd()) {
            throw new IllegalStateException("unexpected data after the model at offset " + in.position());
        }
        return new ShapePredictor(points, cascades, trees, splits, features, initialShape, idx1, idx2,
                thresholds, leaves, anchor, dx, dy);
    }

    public int points() {
        return points;
    }

    public int cascades() {
        return cascades;
    }

    public int treesPerCascade() {
        return treesPerCascade;
    }

    public int treeDepth() {
        return Integer.numberOfTrailingZeros(splitsPerTree + 1);
    }

    /** The mean shape in box coordinates (the box maps to the unit square), x and y interleaved. */
    public float[] meanShape() {
        return initialShape.clone();
    }

    public Scratch newScratch() {
        return new Scratch(points, featuresPerCascade);
    }

    /**
     * How a face box maps to the unit square the model works in. The two differ only for boxes
     * that are not square; the tracker always passes square boxes.
     */
    public enum BoxMapping {
        /** The exact affine map of the box corners, as dlib has done since 19.0. */
        AFFINE,
        /**
         * The least-squares similarity transform of the box corners, as dlib 18.x did (and as the
         * landmarks in dlib's own example data were made): a non-square box is treated as a
         * square of the mean side, slightly rotated.
         */
        SIMILARITY
    }

    /**
     * Predicts the landmarks of the face in {@code box}, mapping the box as current dlib does.
     *
     * @param out receives {@code 2 * points()} values: x and y of each point in image pixels
     */
    public void predict(GrayImage image, FaceBox box, Scratch scratch, float[] out) {
        predict(image, box, BoxMapping.AFFINE, scratch, out);
    }

    /** Like {@link #predict(GrayImage, FaceBox, Scratch, float[])} with an explicit box mapping. */
    public void predict(GrayImage image, FaceBox box, BoxMapping mapping, Scratch scratch, float[] out) {
        float[] shape = scratch.shape;
        float[] features = scratch.features;
        System.arraycopy(initialShape, 0, shape, 0, shape.length);
        // Unit square to image: x' = ax*x + bx*y + cx, y' = ay*x + by*y + cy.
        final double w = box.right() - box.left();
        final double h = box.bottom() - box.top();
        final double ax;
        final double bx;
        final double cx;
        final double ay;
        final double by;
        final double cy;
        if (mapping == BoxMapping.AFFINE) {
            ax = w;
            bx = 0;
            cx = box.left();
            ay = 0;
            by = h;
            cy = box.top();
        } else {
            // Least squares over the corners (0,0), (1,0), (1,1) and their images.
            double a = (w + h) / 2;
            double b = (h - w) / 4;
            ax = a;
            bx = -b;
            ay = b;
            by = a;
            cx = box.left() + 2 * w / 3 - (a * 2 / 3 - b / 3);
            cy = box.top() + h / 3 - (b * 2 / 3 + a / 3);
        }
        final int values = 2 * points;
        final int leavesPerTree = splitsPerTree + 1;

        for (int c = 0; c < cascades; c++) {
            // Sample pixels where they sit relative to the current shape: the offsets were
            // learned on the mean shape, so rotate and scale them by the similarity transform
            // that takes the mean shape to the current one.
            similarityToCurrent(shape, scratch);
            float m00 = scratch.m00;
            float m01 = scratch.m01;
            float m10 = scratch.m10;
            float m11 = scratch.m11;
            int base = c * featuresPerCascade;
            for (int i = 0; i < featuresPerCascade; i++) {
                int anchorPoint = anchor[base + i];
                float ddx = deltaX[base + i];
                float ddy = deltaY[base + i];
                float nx = m00 * ddx + m01 * ddy + shape[2 * anchorPoint];
                float ny = m10 * ddx + m11 * ddy + shape[2 * anchorPoint + 1];
                long px = Math.round(ax * nx + bx * ny + cx);
                long py = Math.round(ay * nx + by * ny + cy);
                if (px >= 0 && py >= 0 && px < image.width && py < image.height) {
                    features[i] = image.data[image.offset + (int) py * image.stride + (int) px] & 0xFF;
                } else {
                    features[i] = 0;
                }
            }
            int treeBase = c * treesPerCascade;
            for (int t = 0; t < treesPerCascade; t++) {
                int tree = treeBase + t;
                int splitBase = tree * splitsPerTree;
                int node = 0;
                while (node < splitsPerTree) {
                    int s = 3 * (splitBase + node);
                    node = features[splits[s]] - features[splits[s + 1]] > Float.intBitsToFloat(splits[s + 2])
                            ? 2 * node + 1 : 2 * node + 2;
                }
                int leaf = (tree * leavesPerTree + node - splitsPerTree) * values;
                for (int k = 0; k < values; k++) {
                    shape[k] += leafValues[leaf + k];
                }
            }
        }
        for (int i = 0; i < points; i++) {
            double nx = shape[2 * i];
            double ny = shape[2 * i + 1];
            out[2 * i] = (float) (ax * nx + bx * ny + cx);
            out[2 * i + 1] = (float) (ay * nx + by * ny + cy);
        }
    }

    /**
     * The rotation-and-scale part of the least-squares similarity transform from the mean shape
     * to {@code shape} (Umeyama's solution; in 2-D it has this closed form).
     */
    private void similarityToCurrent(float[] shape, Scratch scratch) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < points; i++) {
            mx += shape[2 * i];
            my += shape[2 * i + 1];
        }
        mx /= points;
        my /= points;
        double a = 0;
        double b = 0;
        for (int i = 0; i < points; i++) {
            double px = initialCentered[2 * i];
            double py = initialCentered[2 * i + 1];
            double qx = shape[2 * i] - mx;
            double qy = shape[2 * i + 1] - my;
            a += qx * px + qy * py;
            b += qy * px - qx * py;
        }
        a /= points * initialSpread;
        b /= points * initialSpread;
        scratch.m00 = (float) a;
        scratch.m01 = (float) -b;
        scratch.m10 = (float) b;
        scratch.m11 = (float) a;
    }
}
