package org.myelin.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.io.Json;

/**
 * Class names travel in the model's metadata: a file keeps them through save and load; a model
 * whose data named no classes (the version-1 fixture, the built-in task) calls each by its number;
 * a list of the wrong length, with a blank, repeated or non-string name, is refused naming the
 * file and the key.
 */
class ClassNamesTest {
    @TempDir
    Path dir;

    private static Model withNames(Model m, Object names) {
        Map<String, Object> meta = Json.object();
        meta.putAll(m.meta);
        meta.put(Model.CLASS_NAMES, names);
        return new Model(m.config, m.layers, m.norms, meta, m.learntDelays, m.recipe);
    }

    @Test
    void namesSurviveSaveAndLoadAndUnnamedClassesAreNumbers() throws IOException {
        Model v1 = Model.load(ModelVersionsTest.V1);
        int classes = v1.config.outputs;
        List<String> numbers = new ArrayList<>();
        for (int k = 0; k < classes; k++) numbers.add(String.valueOf(k));
        assertEquals(numbers, v1.classNames(), "a model without names calls each class by its number");

        List<Object> words = new ArrayList<>();
        for (int k = 0; k < classes; k++) words.add("word-" + (char) ('a' + k) + (k == 1 ? " fünf" : ""));
        Path f = dir.resolve("named.myelin");
        withNames(v1, words).save(f);
        assertEquals(words, Model.load(f).classNames());
    }

    @Test
    void badNamesAreRefusedNamingTheFileAndTheKey() throws IOException {
        Model v1 = Model.load(ModelVersionsTest.V1);
        int classes = v1.config.outputs;
        List<Object> tooFew = new ArrayList<>();
        for (int k = 0; k < classes - 1; k++) tooFew.add("w" + k);
        List<Object> twice = new ArrayList<>(tooFew);
        twice.add("w0");
        List<Object> blank = new ArrayList<>(tooFew);
        blank.add(" ");
        List<Object> number = new ArrayList<>(tooFew);
        number.add(7);
        for (Object bad : new Object[] {tooFew, twice, blank, number, "yes,no"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> withNames(v1, bad), String.valueOf(bad));
            assertTrue(e.getMessage().contains("class_names"), e.getMessage());
        }
        // the same in a file: one line naming the file
        Path f = dir.resolve("bad.myelin");
        v1.save(f);
        org.myelin.io.Container c = org.myelin.io.Container.read(f, 'M');
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) c.header.get("meta");
        meta.put(Model.CLASS_NAMES, twice);
        c.write(f, 'M');
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Model.load(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("twice"), e.getMessage());
    }
}
