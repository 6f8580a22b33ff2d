package dev.painterly.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Lines of jobs side by side: tagged, and whole however their threads interleave. */
class TaggedLinesTest {

    @Test
    void tagsEachLineAfterTheToolsName() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream shared = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        PrintStream job = TaggedLines.to(shared, "[0] example 3: ");
        job.println("started");
        job.print("painterly: pass 2 diverged");
        job.println(" at iteration 26");
        job.print("a\r\nb é\n");
        assertEquals(List.of("[0] example 3: started", "painterly: [0] example 3: pass 2 diverged at iteration 26",
                "[0] example 3: a", "[0] example 3: b é"), bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void linesOfThreadsNeverMix() throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream shared = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            PrintStream job = TaggedLines.to(shared, "[" + t + "] ");
            String text = "job " + t + " ".repeat(40) + "end";
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    for (char c : (text + "\n").toCharArray()) {
                        job.print(c);
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(800, lines.size());
        for (String line : lines) {
            char t = line.charAt(1);
            assertEquals("[" + t + "] job " + t + " ".repeat(40) + "end", line);
        }
    }
}
