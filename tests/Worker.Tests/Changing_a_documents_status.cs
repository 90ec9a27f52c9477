using System.Runtime.CompilerServices;
using DocExtract.Persistence.Entities;
using ExtractionRun = DocExtract.Persistence.Entities.Extraction;

namespace DocExtract.Worker.Tests;

/// <summary>The transitions of Document (#16): each keeps the document and its current extraction row consistent.</summary>
public sealed class Changing_a_documents_status
{
    private static readonly DateTimeOffset _uploaded = new(2026, 11, 29, 17, 0, 0, TimeSpan.Zero);

    private static (Document Document, ExtractionRun Extraction) Queued()
    {
        var extraction = new ExtractionRun { Id = Guid.NewGuid(), DocumentId = Guid.NewGuid(), RequestedSchema = "invoice", CreatedAt = _uploaded };
        var document = new Document
        {
            Id = extraction.DocumentId, FileSha256 = new string('a', 64), FileName = "a.pdf", RequestedSchema = "invoice",
            CurrentExtractionId = extraction.Id, CreatedAt = _uploaded, UpdatedAt = _uploaded,
        };
        return (document, extraction);
    }

    [Fact]
    public void A_new_document_and_its_extraction_are_queued()
    {
        var (document, extraction) = Queued();

        Assert.Equal((DocumentStatus.Queued, DocumentStatus.Queued, 0), (document.Status, extraction.Status, document.Attempts));
    }

    [Fact]
    public void Starting_counts_an_attempt_and_keeps_the_first_start_time()
    {
        var (document, extraction) = Queued();

        document.StartProcessing(extraction, _uploaded.AddSeconds(1));
        document.StartProcessing(extraction, _uploaded.AddSeconds(5)); // a worker died; another picks the message up

        Assert.Equal((DocumentStatus.Processing, DocumentStatus.Processing), (document.Status, extraction.Status));
        Assert.Equal((2, _uploaded.AddSeconds(1), _uploaded.AddSeconds(5)), (document.Attempts, document.StartedAt, document.UpdatedAt));
    }

    [Theory]
    [InlineData(false, DocumentStatus.Succeeded)]
    [InlineData(true, DocumentStatus.NeedsReview)]
    public void Completing_puts_both_rows_in_the_same_state_with_the_type_used(bool needsReview, DocumentStatus expected)
    {
        var (document, extraction) = Queued();
        document.StartProcessing(extraction, _uploaded.AddSeconds(1));

        document.Complete(extraction, needsReview, "invoice", "3f2a", _uploaded.AddSeconds(9));

        Assert.Equal((expected, expected), (document.Status, extraction.Status));
        Assert.Equal((_uploaded.AddSeconds(9), _uploaded.AddSeconds(9), _uploaded.AddSeconds(9)),
            (document.CompletedAt, extraction.CompletedAt, document.UpdatedAt));
        Assert.Equal(("invoice", "3f2a"), (extraction.SchemaName, extraction.SchemaVersion));
        Assert.Null(document.FailureReason);
    }

    [Fact]
    public void Failing_records_the_reason_on_both_rows()
    {
        var (document, extraction) = Queued();
        document.StartProcessing(extraction, _uploaded.AddSeconds(1));

        document.Fail(extraction, "the file is not a PDF", _uploaded.AddSeconds(2));

        Assert.Equal((DocumentStatus.Failed, DocumentStatus.Failed), (document.Status, extraction.Status));
        Assert.Equal(("the file is not a PDF", "the file is not a PDF"), (document.FailureReason, extraction.FailureReason));
        Assert.Equal((_uploaded.AddSeconds(2), _uploaded.AddSeconds(2)), (document.CompletedAt, extraction.CompletedAt));
    }

    [Fact]
    public void Queuing_again_starts_afresh_and_supersedes_an_extraction_that_never_started()
    {
        var (document, earlier) = Queued();
        var next = new ExtractionRun { Id = Guid.NewGuid(), DocumentId = document.Id, RequestedSchema = "receipt", CreatedAt = _uploaded.AddSeconds(3) };

        document.QueueAgain(next, earlier, _uploaded.AddSeconds(3));

        Assert.Equal((next.Id, "receipt", DocumentStatus.Queued), (document.CurrentExtractionId, document.RequestedSchema, document.Status));
        Assert.Equal(DocumentStatus.Failed, earlier.Status);
        Assert.Equal($"replaced by extraction {next.Id} before it started", earlier.FailureReason);
        Assert.Equal(_uploaded.AddSeconds(3), earlier.CompletedAt);
    }

    [Fact]
    public void Queuing_again_resets_attempts_and_times_and_leaves_a_finished_extraction_its_outcome()
    {
        var (document, earlier) = Queued();
        document.StartProcessing(earlier, _uploaded.AddSeconds(1));
        document.Fail(earlier, "the model gave up", _uploaded.AddSeconds(2));
        var next = new ExtractionRun { Id = Guid.NewGuid(), DocumentId = document.Id, RequestedSchema = "invoice", CreatedAt = _uploaded.AddSeconds(3) };

        document.QueueAgain(next, earlier, _uploaded.AddSeconds(3));

        Assert.Equal((DocumentStatus.Queued, null, 0, null, null),
            (document.Status, document.FailureReason, document.Attempts, document.StartedAt, document.CompletedAt));
        Assert.Equal(_uploaded.AddSeconds(3), document.UpdatedAt);
        Assert.Equal((DocumentStatus.Failed, "the model gave up"), (earlier.Status, earlier.FailureReason));
    }

    [Fact]
    public void Approving_a_result_marks_both_rows_reviewed_and_can_be_done_again()
    {
        var (document, extraction) = Queued();
        document.StartProcessing(extraction, _uploaded.AddSeconds(1));
        document.Complete(extraction, needsReview: true, "invoice", null, _uploaded.AddSeconds(2));

        document.MarkReviewed(extraction, _uploaded.AddSeconds(60));
        document.MarkReviewed(extraction, _uploaded.AddSeconds(90));

        Assert.Equal((DocumentStatus.Reviewed, DocumentStatus.Reviewed), (document.Status, extraction.Status));
        Assert.Equal((_uploaded.AddSeconds(2), _uploaded.AddSeconds(90)), (document.CompletedAt, document.UpdatedAt));
    }

    [Fact]
    public void A_transition_from_the_wrong_state_is_refused_and_changes_nothing()
    {
        var (document, extraction) = Queued();

        var review = Assert.Throws<InvalidOperationException>(() => document.MarkReviewed(extraction, _uploaded));
        Assert.Contains("is queued and cannot be marked reviewed", review.Message);
        Assert.Throws<InvalidOperationException>(() => document.Complete(extraction, false, "invoice", null, _uploaded));
        document.StartProcessing(extraction, _uploaded);
        document.Fail(extraction, "broken", _uploaded);
        Assert.Throws<InvalidOperationException>(() => document.StartProcessing(extraction, _uploaded));
        Assert.Throws<InvalidOperationException>(() => extraction.Supersede(Guid.NewGuid(), _uploaded));

        Assert.Equal((DocumentStatus.Failed, DocumentStatus.Failed, 1), (document.Status, extraction.Status, document.Attempts));
        Assert.Equal("broken", extraction.FailureReason);
    }

    [Theory]
    [InlineData(typeof(Document), nameof(Document.Status))]
    [InlineData(typeof(Document), nameof(Document.FailureReason))]
    [InlineData(typeof(Document), nameof(Document.Attempts))]
    [InlineData(typeof(Document), nameof(Document.CurrentExtractionId))]
    [InlineData(typeof(Document), nameof(Document.RequestedSchema))]
    [InlineData(typeof(Document), nameof(Document.StartedAt))]
    [InlineData(typeof(Document), nameof(Document.CompletedAt))]
    [InlineData(typeof(Document), nameof(Document.UpdatedAt))]
    [InlineData(typeof(ExtractionRun), nameof(ExtractionRun.Status))]
    [InlineData(typeof(ExtractionRun), nameof(ExtractionRun.FailureReason))]
    [InlineData(typeof(ExtractionRun), nameof(ExtractionRun.CompletedAt))]
    [InlineData(typeof(ExtractionRun), nameof(ExtractionRun.SchemaName))]
    [InlineData(typeof(ExtractionRun), nameof(ExtractionRun.SchemaVersion))]
    public void Nothing_else_can_change_what_the_transitions_keep(Type entity, string property)
    {
        var setter = entity.GetProperty(property)!.SetMethod;

        // Private, or init: given when the row is created, never changed after.
        Assert.True(setter is null || !setter.IsPublic || setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit)),
            $"{entity.Name}.{property} has a public setter");
    }
}
