package dev.painterly.cli;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several devices draining one queue: at the same time, each item once, a stopped device out of the way. */
class DeviceQueueTest {

    /**
     * Each device's first item waits until the other device is inside its own first item: that
     * only happens if both run at once (on one thread, or one after the other, the wait would never
     * end, and the generous timeout only keeps a broken queue from hanging the build).
     */
    @Test
    void twoDevicesWorkAtTheSameTime() throws InterruptedException {
        CountDownLatch bothInside = new CountDownLatch(2);
        Map<String, Boolean> metTheOther = new ConcurrentHashMap<>();
        Map<Integer, String> doneBy = new ConcurrentHashMap<>();
        List<Integer> items = IntStream.range(0, 9).boxed().toList();
        DeviceQueue<String, Integer> queue = new DeviceQueue<>(List.of("a", "b"), (device, item) -> {
            if (!metTheOther.containsKey(device)) {
                bothInside.countDown();
                metTheOther.put(device, bothInside.await(60, TimeUnit.SECONDS));
            }
            assertEquals(null, doneBy.putIfAbsent(item, device), "item " + item + " twice");
        });
        DeviceQueue.Outcome<String, Integer> outcome = queue.run(items);
        assertEquals(Map.of("a", true, "b", true), metTheOther);
        assertEquals(new HashSet<>(items), doneBy.keySet());
        assertEquals(List.of(), outcome.stops());
        assertEquals(List.of(), outcome.notRun());
    }

    @Test
    void oneDeviceWorksOnTheCallingThread() throws InterruptedException {
        Thread caller = Thread.currentThread();
        List<Integer> done = new ArrayList<>();
        new DeviceQueue<String, Integer>(List.of("only"), (device, item) -> {
            assertEquals(caller, Thread.currentThread());
            done.add(item);
        }).run(List.of(3, 1, 2));
        assertEquals(List.of(3, 1, 2), done, "in the order given");
    }

    /**
     * Devices that fail on chosen items: every item is either done once (the item a device stopped
     * on counts as its last), or, only when every device stopped, left over; a device does nothing
     * after it stops.
     */
    @Property(tries = 200)
    void everyItemOnceWhateverStops(@ForAll @IntRange(min = 1, max = 4) int devices, @ForAll @IntRange(max = 40) int count,
                                    @ForAll @Size(max = 6) List<@IntRange(max = 45) Integer> fatal) throws InterruptedException {
        List<Integer> items = IntStream.range(0, count).boxed().toList();
        Set<Integer> fatalItems = new HashSet<>(fatal);
        List<String> names = IntStream.range(0, devices).mapToObj(i -> "d" + i).toList();
        Map<Integer, String> doneBy = new ConcurrentHashMap<>();
        Map<String, Integer> stoppedAt = new ConcurrentHashMap<>();
        List<String> afterStop = Collections.synchronizedList(new ArrayList<>());
        DeviceQueue.Outcome<String, Integer> outcome = new DeviceQueue<String, Integer>(names, (device, item) -> {
            if (stoppedAt.containsKey(device)) {
                afterStop.add(device);
            }
            assertEquals(null, doneBy.putIfAbsent(item, device), "item " + item + " twice");
            if (fatalItems.contains(item)) {
                stoppedAt.put(device, item);
                throw new IllegalStateException("device lost on " + item);
            }
        }).run(items);
        assertEquals(List.of(), afterStop);
        Map<String, Integer> stops = new HashMap<>();
        for (DeviceQueue.Stop<String, Integer> s : outcome.stops()) {
            stops.put(s.device(), s.item());
            assertEquals("device lost on " + s.item(), s.cause().getMessage());
        }
        assertEquals(stoppedAt, stops);
        Set<Integer> seen = new HashSet<>(doneBy.keySet());
        for (Integer left : outcome.notRun()) {
            assertTrue(seen.add(left), "item " + left + " both done and left over");
        }
        assertEquals(new HashSet<>(items), seen);
        if (!outcome.notRun().isEmpty()) {
            assertEquals(devices, outcome.stops().size(), "items left over while a device was still working");
        }
    }
}
