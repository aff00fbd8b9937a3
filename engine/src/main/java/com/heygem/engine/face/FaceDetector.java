package com.heygem.engine.face;

import com.heygem.engine.image.GrayImage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;
import org.bytedeco.opencv.global.opencv_core;

/**
 * Finds frontal faces with OpenCV's Haar cascade (the one bundled in the OpenCV jar) and returns
 * them in the box convention dlib's landmark model was trained on.
 *
 * <p>The search runs on a copy of the region scaled down so its shorter side is at most
 * {@link #WORK_SIDE} pixels: Haar costs grow with the pixel count, and a face that fills a fair
 * part of a video frame is still far above the cascade's 20-pixel window at that size.
 *
 * <p>Not thread-safe (OpenCV's cascade keeps scratch buffers); one per analysing thread.
 */
public final class FaceDetector implements AutoCloseable {
    static final String CASCADE = "/org/bytedeco/opencv/" + Loader.getPlatform()
            + "/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml";
    /** Shorter side of the image the cascade searches. */
    static final int WORK_SIDE = 480;
    private static final double SCALE_STEP = 1.1;
    private static final int MIN_NEIGHBOURS = 3;

    // Haar boxes are wider and sit higher on the face than the boxes of dlib's HOG detector the
    // landmark model was trained with. Measured on the shared golden frames (dlib box vs Haar box):
    // same centre x, centre y lower by HAAR_DY of the Haar side, side HAAR_SCALE of it.
    static final double HAAR_DY = 0.08;
    static final double HAAR_SCALE = 0.85;

    private final CascadeClassifier cascade;
    private final RectVector found = new RectVector();
    private final IntPointer votes = new IntPointer();
    private Mat region = new Mat();
    private final Mat small = new Mat();
    private final Mat turned = new Mat();
    private byte[] row = new byte[0];

    public FaceDetector() {
        try {
            File file = Loader.cacheResource(CASCADE);
            cascade = new CascadeClassifier(file.getAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the bundled Haar cascade " + CASCADE, e);
        }
        if (cascade.empty()) {
            throw new IllegalStateException("the bundled Haar cascade did not load: " + CASCADE);
        }
    }

    /** Faces anywhere in {@code image}, including close-ups cut by the top or bottom edge. */
    public int detect(GrayImage image, double minFaceSide, List<Detection> out) {
        return detect(image, minFaceSide, false, out);
    }

    /**
     * As {@link #detect(GrayImage, double, List)}; with {@code tilted} the search is also run on
     * the picture turned {@link #TILT_DEGREES} each way, for heads leaning beyond what the
     * upright cascade finds (it missed a presenter leaning 8 degrees and took his eye for a face).
     */
    public int detect(GrayImage image, double minFaceSide, boolean tilted, List<Detection> out) {
        int pad = image.height / 8;
        return detect(image, 0, -pad, image.width, image.height + 2 * pad, minFaceSide, tilted, out);
    }

    /**
     * Faces inside the region {@code (x, y, w, h)}, added to {@code out} in image coordinates and
     * dlib's box convention. Parts of the region outside the image are filled by repeating the
     * edge pixels: a close-up whose forehead or chin leaves the frame is still found, because the
     * cascade sees a whole (if smeared) face window.
     *
     * @param minFaceSide smallest face side to look for, in image pixels
     * @return the number of faces added
     */
    public int detect(GrayImage image, int x, int y, int w, int h, double minFaceSide, List<Detection> out) {
        return detect(image, x, y, w, h, minFaceSide, false, out);
    }

    /** As {@link #detect(GrayImage, int, int, int, int, double, List)}, tilted searches too when asked. */
    public int detect(GrayImage image, int x, int y, int w, int h, double minFaceSide, boolean tilted,
            List<Detection> out) {
        // Keep at most a quarter of the region outside the image on each axis.
        int x0 = Math.max(x, -w / 4);
        int y0 = Math.max(y, -h / 4);
        int x1 = Math.min(x + w, image.width + w / 4);
        int y1 = Math.min(y + h, image.height + h / 4);
        int rw = x1 - x0;
        int rh = y1 - y0;
        if (rw < 24 || rh < 24 || x1 <= 0 || y1 <= 0 || x0 >= image.width || y0 >= image.height) {
            return 0;
        }
        if (region.cols() != rw || region.rows() != rh) {
            region.close();
            region = new Mat(rh, rw, opencv_core.CV_8UC1);
        }
        if (row.length < rw) {
            row = new byte[rw];
        }
        int inLeft = Math.max(0, -x0);
        int inRight = Math.min(rw, image.width - x0);
        BytePointer dst = region.data();
        long step = region.step();
        for (int r = 0; r < rh; r++) {
            int sy = Math.min(image.height - 1, Math.max(0, y0 + r));
            int src = image.offset + sy * image.stride;
            System.arraycopy(image.data, src + x0 + inLeft, row, inLeft, inRight - inLeft);
            java.util.Arrays.fill(row, 0, inLeft, image.data[src]);
            java.util.Arrays.fill(row, inRight, rw, image.data[src + image.width - 1]);
            dst.position(r * step).put(row, 0, rw);
        }
        dst.position(0);

        double scale = Math.min(1.0, WORK_SIDE / (double) Math.min(rw, rh));
        Mat work = region;
        if (scale < 1.0) {
            opencv_imgproc.resize(region, small, new Size((int) Math.round(rw * scale), (int) Math.round(rh * scale)),
                    0, 0, opencv_imgproc.INTER_AREA);
            work = small;
        }
        opencv_imgproc.equalizeHist(work, work);
        // The cascade's window is 20 px; a Haar box is about 1/HAAR_SCALE of the dlib-style face side.
        int minSide = Math.max(20, (int) Math.floor(minFaceSide / HAAR_SCALE * scale));
        int first = out.size();
        search(work, minSide, 0, x0, y0, scale, out);
        if (tilted) {
            search(work, minSide, TILT_DEGREES, x0, y0, scale, out);
            search(work, minSide, -TILT_DEGREES, x0, y0, scale, out);
            dropParts(out, first);
        }
        return out.size() - first;
    }

    /** How far the tilted searches turn the picture, each way. */
    static final double TILT_DEGREES = 12;

    /**
     * One cascade search of {@code work} turned by {@code degrees} (counter-clockwise), detections
     * turned back into image coordinates: the box keeps its size round the found centre, which is
     * all the landmark fit needs to start.
     */
    private void search(Mat work, int minSide, double degrees, int x0, int y0, double scale, List<Detection> out) {
        Mat image = work;
        double pcx = work.cols() / 2.0;
        double pcy = work.rows() / 2.0;
        if (degrees != 0) {
            try (Mat m = opencv_imgproc.getRotationMatrix2D(new Point2f((float) pcx, (float) pcy), degrees, 1.0)) {
                opencv_imgproc.warpAffine(work, turned, m, work.size(), opencv_imgproc.INTER_LINEAR,
                        opencv_core.BORDER_REPLICATE, new Scalar());
            }
            image = turned;
        }
        cascade.detectMultiScale2(image, found, votes, SCALE_STEP, MIN_NEIGHBOURS, 0, new Size(minSide, minSide),
                new Size());
        double a = Math.toRadians(degrees);
        double cos = Math.cos(a);
        double sin = Math.sin(a);
        int n = (int) found.size();
        for (int i = 0; i < n; i++) {
            Rect r = found.get(i);
            double side = r.width() / scale;
            // Centre in the turned picture, turned back: p = c + R(-a)(q - c), image y pointing down.
            double qx = r.x() + r.width() * 0.5 - pcx;
            double qy = r.y() + r.height() * 0.5 - pcy;
            double px = pcx + cos * qx - sin * qy;
            double py = pcy + sin * qx + cos * qy;
            double cx = x0 + px / scale;
            double cy = y0 + py / scale + HAAR_DY * side;
            out.add(new Detection(FaceBox.centered(cx - 0.5, cy - 0.5, side * HAAR_SCALE), votes.get(i)));
        }
    }

    /**
     * Drops, from {@code out[first..]}, detections that are a part of a larger one (centre inside
     * it, under 0.6 of its side: an eye, a mouth) and repeats of one face found upright and tilted.
     */
    static void dropParts(List<Detection> out, int first) {
        for (int i = out.size() - 1; i >= first; i--) {
            FaceBox small = out.get(i).box();
            for (int j = first; j < out.size(); j++) {
                if (j == i) {
                    continue;
                }
                FaceBox big = out.get(j).box();
                boolean inside = small.centerX() >= big.left() && small.centerX() <= big.right()
                        && small.centerY() >= big.top() && small.centerY() <= big.bottom();
                boolean part = inside && small.width() < 0.6 * big.width();
                boolean repeat = small.iou(big) > 0.5 && (small.width() < big.width()
                        || small.width() == big.width() && i > j);
                if (part || repeat) {
                    out.remove(i);
                    break;
                }
            }
        }
    }

    @Override
    public void close() {
        found.close();
        votes.close();
        region.close();
        small.close();
        turned.close();
        cascade.close();
    }
}
