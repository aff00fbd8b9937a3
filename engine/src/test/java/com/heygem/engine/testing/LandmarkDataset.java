package com.heygem.engine.testing;

import com.heygem.engine.face.FaceBox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** dlib's image-metadata XML: images, face boxes and the landmarks dlib gives for each box. */
public final class LandmarkDataset {
    public record Face(Path image, FaceBox box, float[] points) {
    }

    private LandmarkDataset() {
    }

    public static List<Face> read(Path xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = f.newDocumentBuilder().parse(xml.toFile());
        List<Face> faces = new ArrayList<>();
        NodeList images = doc.getElementsByTagName("image");
        for (int i = 0; i < images.getLength(); i++) {
            Element image = (Element) images.item(i);
            Path file = xml.resolveSibling(image.getAttribute("file"));
            NodeList boxes = image.getElementsByTagName("box");
            for (int b = 0; b < boxes.getLength(); b++) {
                Element box = (Element) boxes.item(b);
                FaceBox faceBox = new FaceBox(num(box, "left"), num(box, "top"), num(box, "width"), num(box, "height"));
                NodeList parts = box.getElementsByTagName("part");
                float[] points = new float[2 * parts.getLength()];
                for (int p = 0; p < parts.getLength(); p++) {
                    Element part = (Element) parts.item(p);
                    int index = Integer.parseInt(part.getAttribute("name"));
                    points[2 * index] = (float) num(part, "x");
                    points[2 * index + 1] = (float) num(part, "y");
                }
                faces.add(new Face(file, faceBox, points));
            }
        }
        return faces;
    }

    private static double num(Element e, String name) {
        return Double.parseDouble(e.getAttribute(name));
    }
}
