using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace AdIntel.Web.Tests.Security;

/// <summary>
/// A tiny SMTP server on 127.0.0.1 that speaks enough real SMTP (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) for
/// the app's MailKit sender, and keeps every message it receives, parsed with MimeKit.
/// </summary>
public sealed class FakeSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<MimeMessage> _messages = new();
    private readonly Task _acceptLoop;

    public FakeSmtpServer()
    {
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The first message received so far for <paramref name="recipient"/>.</summary>
    public MimeMessage? MessageTo(string recipient) =>
        _messages.FirstOrDefault(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, recipient, StringComparison.OrdinalIgnoreCase)));

    /// <summary>Every message received so far for <paramref name="recipient"/>.</summary>
    public IReadOnlyList<MimeMessage> MessagesTo(string recipient) =>
        _messages.Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, recipient, StringComparison.OrdinalIgnoreCase))).ToList();

    /// <summary>The first message received (now or within the timeout) for <paramref name="recipient"/>.</summary>
    public async Task<MimeMessage> WaitForMessageToAsync(string recipient, TimeSpan? timeout = null)
    {
        // Polling keeps several waiters (parallel tests) from stealing each other's wake-ups.
        await Eventually.HoldsAsync(() => Task.FromResult(MessageTo(recipient) is not null), $"No e-mail to {recipient} arrived", timeout);
        return MessageTo(recipient)!;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 localhost fake SMTP ready");
        while (await reader.ReadLineAsync(_stop.Token) is { } line)
        {
            var command = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
            switch (command)
            {
                case "EHLO":
                    await writer.WriteLineAsync("250-localhost");
                    await writer.WriteLineAsync("250 8BITMIME");
                    break;
                case "HELO":
                case "MAIL":
                case "RCPT":
                case "RSET":
                case "NOOP":
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync(_stop.Token) is { } dataLine && dataLine != ".")
                    {
                        // Undo dot-stuffing (RFC 5321 4.5.2).
                        data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                    }
                    using (var message = new MemoryStream(Encoding.UTF8.GetBytes(data.ToString())))
                    {
                        _messages.Enqueue(await MimeMessage.LoadAsync(message));
                    }
                    await writer.WriteLineAsync("250 OK queued");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 Bye");
                    return;
                default:
                    await writer.WriteLineAsync("502 Command not implemented");
                    break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        _stop.Dispose();
    }
}
