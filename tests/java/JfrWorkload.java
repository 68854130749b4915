// A Java program whose Flight Recorder recording has every event kind Kiln's
// JFR importer turns into a profile: CPU (burnCpu), allocations (allocate),
// monitor contention (contend) and thread parking (park). Run as
//   java -XX:StartFlightRecording=settings=profile,filename=OUT.jfr JfrWorkload.java
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

public class JfrWorkload {
  static volatile long sink;
  static final Object lock = new Object();

  static long burnCpu(long iterations) {
    long x = 1;
    for (long i = 0; i < iterations; i++) {
      x = x * 6364136223846793005L + i;
      x ^= x >>> 29;
    }
    return x;
  }

  static void allocate(int count) {
    List<byte[]> keep = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] b = new byte[512 + (i % 64) * 64];
      keep.add(b);
      if (keep.size() > 256) keep.clear();
      sink += b.length;
    }
  }

  // Three threads queue on a monitor that its owner holds for 30 ms: each
  // wait is above the profile settings' 10 ms threshold.
  static void contend(int rounds) throws InterruptedException {
    for (int r = 0; r < rounds; r++) {
      Thread owner = new Thread(() -> {
        synchronized (lock) {
          try { Thread.sleep(30); } catch (InterruptedException e) { }
        }
      });
      owner.start();
      Thread.sleep(2);
      List<Thread> waiters = new ArrayList<>();
      for (int w = 0; w < 3; w++) {
        Thread t = new Thread(() -> { synchronized (lock) { sink++; } });
        waiters.add(t);
        t.start();
      }
      owner.join();
      for (Thread t : waiters) t.join();
    }
  }

  static void park(int times) {
    for (int i = 0; i < times; i++) LockSupport.parkNanos(20_000_000L);
  }

  public static void main(String[] args) throws Exception {
    long deadline = System.nanoTime() + 1_500_000_000L;
    while (System.nanoTime() < deadline) sink += burnCpu(2_000_000);
    allocate(400_000);
    contend(10);
    park(10);
    System.out.println("done " + sink);
  }
}
