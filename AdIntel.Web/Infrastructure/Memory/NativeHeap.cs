using System.Runtime.InteropServices;

namespace AdIntel.Web.Infrastructure.Memory;

/// <summary>
/// glibc's allocator, which holds the native memory of the runtime, the JIT and SQLite. Left alone it keeps what they
/// free: up to 8 arenas per core, each keeping its freed pages, and free holes inside the heap that are never given back
/// (measured with bench/AdIntel.MemoryBench: 30–45 MB of a crawled demo store's resident set). Two arenas, and
/// <see cref="NativeHeapTrimmer"/> returning free pages, keep that out. Elsewhere (not Linux, or a libc without these
/// functions, e.g. musl) nothing happens.
/// </summary>
public static class NativeHeap
{
    // M_ARENA_MAX in glibc's malloc.h (what MALLOC_ARENA_MAX sets, which only a process's starter can give it).
    private const int ArenaMaxOption = -8;
    private const int Arenas = 2;

    private static bool s_available = OperatingSystem.IsLinux();

    public static bool CanTrim => s_available;

    /// <summary>Caps glibc's arenas; first thing in Main, before threads take arenas of their own.</summary>
    public static void LimitArenas() => Call(() => mallopt(ArenaMaxOption, Arenas));

    /// <summary>Gives the free pages of every arena back to the system.</summary>
    public static void Trim() => Call(() => malloc_trim(0));

    private static void Call(Func<int> function)
    {
        if (!s_available)
        {
            return;
        }
        try
        {
            function();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            s_available = false;
        }
    }

    [DllImport("libc", ExactSpelling = true)]
    private static extern int mallopt(int option, int value);

    [DllImport("libc", ExactSpelling = true)]
    private static extern int malloc_trim(nuint pad);
}
