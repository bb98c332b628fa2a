"""Field work: training and attendance, visits, income surveys, the assistant's
dashboard and its nightly "needs help" alerts, and the household file page."""
