using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace VodConsole.Tests.Roles;

/// <summary>
/// Counts the SQL commands EF Core runs against one database (matched by its connection string), from every context of
/// the process, through EF's diagnostic events: nothing in the console is changed to be counted. Tests running in
/// parallel use other databases and are not counted.
/// </summary>
public sealed class QueryCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly string database;
    private readonly IDisposable listeners;
    private readonly List<IDisposable> subscriptions = [];
    private int count;

    public QueryCounter(string database)
    {
        this.database = database;
        listeners = DiagnosticListener.AllListeners.Subscribe(this);
    }

    public int Count => Volatile.Read(ref count);

    void IObserver<DiagnosticListener>.OnNext(DiagnosticListener listener)
    {
        if (listener.Name == DbLoggerCategory.Name)
        {
            lock (subscriptions)
            {
                subscriptions.Add(listener.Subscribe(this, name => name == RelationalEventId.CommandExecuted.Name));
            }
        }
    }

    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Value is CommandExecutedEventData executed
            && executed.Command.Connection?.ConnectionString.Contains(database, StringComparison.Ordinal) == true)
        {
            Interlocked.Increment(ref count);
        }
    }

    void IObserver<DiagnosticListener>.OnCompleted() { }
    void IObserver<DiagnosticListener>.OnError(Exception error) { }
    void IObserver<KeyValuePair<string, object?>>.OnCompleted() { }
    void IObserver<KeyValuePair<string, object?>>.OnError(Exception error) { }

    public void Dispose()
    {
        listeners.Dispose();
        lock (subscriptions)
        {
            subscriptions.ForEach(s => s.Dispose());
        }
    }
}
