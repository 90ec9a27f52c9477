using DocExtract.Worker.Extensions;

var builder = Host.CreateApplicationBuilder(args);
builder.AddDocExtractWorker();
builder.Build().Run();
