using System.Runtime.InteropServices;
using AdIntel.Web.Infrastructure.Memory;

namespace AdIntel.Web.Tests.Infrastructure;

public sealed class NativeHeapTests
{
    [Fact]
    public void Trim_gives_freed_native_memory_back_to_the_system()
    {
        Assert.True(OperatingSystem.IsLinux(), "the app runs on Linux (glibc); this test checks its allocator binding there");
        const int chunk = 16 * 1024;
        const int chunks = 4096; // 64 MiB in pieces below glibc's mmap threshold: they come from an arena
        var ones = Enumerable.Repeat((byte)1, chunk).ToArray();
        var pieces = new nint[chunks];
        for (var i = 0; i < chunks; i++)
        {
            pieces[i] = Marshal.AllocHGlobal(chunk); // malloc on Linux
            Marshal.Copy(ones, 0, pieces[i], chunk);
        }
        // A live piece above the freed ones, so that free() alone cannot give them back by shrinking the arena's top.
        var above = Marshal.AllocHGlobal(chunk);
        try
        {
            foreach (var piece in pieces)
            {
                Marshal.FreeHGlobal(piece);
            }
            var beforeTrim = ResidentAnonymousMegabytes();

            NativeHeap.Trim();

            Assert.True(NativeHeap.CanTrim, "malloc_trim was not found in libc");
            var afterTrim = ResidentAnonymousMegabytes();
            Assert.True(beforeTrim - afterTrim >= 32, $"resident anonymous memory {beforeTrim} MB before the trim, {afterTrim} MB after");
        }
        finally
        {
            Marshal.FreeHGlobal(above);
        }
    }

    private static long ResidentAnonymousMegabytes() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("RssAnon:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
}
