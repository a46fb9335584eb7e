// CURVE PUSH/PULL throughput peer for zmq-security/bench/run.sh (libzmq side).
// local: thr local ENDPOINT SIZE COUNT SERVER_SECRET_Z85
// remote: thr remote ENDPOINT SIZE COUNT SERVER_PUBLIC CLIENT_PUBLIC CLIENT_SECRET
#include <zmq.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec/1e9;}
int main(int argc,char**argv){
  void*ctx=zmq_ctx_new(); int size=atoi(argv[3]); long count=atol(argv[4]);
  if(!strcmp(argv[1],"local")){
    void*s=zmq_socket(ctx,ZMQ_PULL); int one=1; 
    if(argc>5){zmq_setsockopt(s,ZMQ_CURVE_SERVER,&one,4); zmq_setsockopt(s,ZMQ_CURVE_SECRETKEY,argv[5],40);}
    zmq_bind(s,argv[2]); zmq_msg_t m; zmq_msg_init(&m);
    zmq_msg_recv(&m,s,0); double t0=now();
    for(long i=1;i<count;i++) zmq_msg_recv(&m,s,0);
    double el=now()-t0; printf("%.0f msg/s %.1f Mb/s\n",(count-1)/el,(count-1)/el*size*8/1e6);
    zmq_close(s);
  } else {
    void*s=zmq_socket(ctx,ZMQ_PUSH);
    if(argc>5){zmq_setsockopt(s,ZMQ_CURVE_SERVERKEY,argv[5],40);zmq_setsockopt(s,ZMQ_CURVE_PUBLICKEY,argv[6],40);zmq_setsockopt(s,ZMQ_CURVE_SECRETKEY,argv[7],40);}
    zmq_connect(s,argv[2]); char*buf=calloc(1,size);
    for(long i=0;i<count;i++) zmq_send(s,buf,size,0);
    int l=-1; zmq_setsockopt(s,ZMQ_LINGER,&l,4); zmq_close(s);
  }
  zmq_ctx_term(ctx); return 0;
}
